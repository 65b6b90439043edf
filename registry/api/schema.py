"""Schema post-processing: every operation documents the one error body (the `ApiError` component) for
throttling (429), for a malformed request (400: e.g. a NUL character in the address, refused by
registry.core.middleware) and, where it takes a body, for a body in another media type (415)."""

ERROR_COMPONENT = "ApiError"  # not "Error": TypeScript generators rename that one (to ModelError)
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}

RATE_LIMITED = {
    "description": "Rate limited: retry after the number of seconds in the Retry-After header.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    "content": {"application/json": {"schema": ERROR_REF}},
}


BAD_REQUEST = {
    "description": "Bad request (e.g. invalid_characters: a NUL character in the path, query or a header).",
    "content": {"application/json": {"schema": ERROR_REF}},
}


UNSUPPORTED_MEDIA_TYPE = {
    "description": "unsupported_media_type: the body is not in a media type this operation takes (JSON; "
    "multipart too for a report).",
    "content": {"application/json": {"schema": ERROR_REF}},
}


def document_common_errors(result, generator, request, public):
    """Every API view is throttled (anon/user rates at least), so every operation may answer 429; a body in
    a media type the operation does not list is a 415 (product.md §5: JSON bodies, multipart for uploads)."""
    if ERROR_COMPONENT not in result.get("components", {}).get("schemas", {}):
        return result
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("429", RATE_LIMITED)
            responses.setdefault("400", BAD_REQUEST)
            if "requestBody" in operation:
                responses.setdefault("415", UNSUPPORTED_MEDIA_TYPE)
    return result
