"""Schema post-processing: every operation documents the one error body for throttling (429) and for a
malformed request (400: e.g. a NUL character in the address, refused by registry.core.middleware)."""

RATE_LIMITED = {
    "description": "Rate limited: retry after the number of seconds in the Retry-After header.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


BAD_REQUEST = {
    "description": "Bad request (e.g. invalid_characters: a NUL character in the path, query or a header).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def document_throttling(result, generator, request, public):
    """Every API view is throttled (anon/user rates at least), so every operation may answer 429."""
    if "Error" not in result.get("components", {}).get("schemas", {}):
        return result
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("429", RATE_LIMITED)
            operation["responses"].setdefault("400", BAD_REQUEST)
    return result
