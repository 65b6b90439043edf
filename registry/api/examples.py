"""Examples of the hot endpoints in the OpenAPI schema (shown by /api/docs/, used by generators and fuzzers).

Each one matches its schema (tests/api_schema checks every example against it); values follow product.md §5.
"""

from drf_spectacular.utils import OpenApiExample

ONE_CHECK = {
    "talent": "TR-7KQ3-M9XD",
    "use": "advertising",
    "modality": "image",
    "territory": "US",
    "channel": "online",
    "product_category": "apparel",
}

CHECK_RESULT = {
    "check_id": "chk_5f1c2a9b0d3e4f6a7b8c9d0e",
    "talent": "TR-7KQ3-M9XD",
    "verified": True,
    "decision": "license_required",
    "basis": {
        "kind": "terms",
        "version": 3,
        "sha256": "9f2c4b1e8a7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170605f4e3",
        "reason": "outside_conditions",
    },
    "conditions": {
        "attribution": True,
        "ai_disclosure": True,
        "min_fee": {"amount": "500.00", "currency": "USD"},
    },
    "valid_until": "2027-06-30",
    "evaluated_as_of": "2026-11-25",
}

CHECK = [
    OpenApiExample("An advertising image online in the US", value=ONE_CHECK, request_only=True),
    OpenApiExample(
        "License required (outside the term's conditions)",
        value=CHECK_RESULT,
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "Unknown use",
        value={
            "code": "unknown_use",
            "detail": "Unknown use 'hologram'. Known uses: advertising, ai_training, digital_alteration, "
            "editorial, replica_creation, replica_use.",
            "fields": {"use": ["Unknown use 'hologram'. Known uses: advertising, ai_training, …"]},
        },
        response_only=True,
        status_codes=["400"],
    ),
]

SLUG_ERROR = "Field 'product_category' must be a lower-case slug (letters, digits, '-', '_'), e.g. 'apparel'."

BULK_CHECK = [
    OpenApiExample(
        "Two checks, the second with a product category that is no slug",
        value={"checks": [ONE_CHECK, {**ONE_CHECK, "product_category": "shoes & socks"}]},
        request_only=True,
    ),
    OpenApiExample(
        "A result and an error, in request order",
        value={
            "results": [
                CHECK_RESULT,
                {
                    "index": 1,
                    "error": {
                        "code": "invalid_product_category",
                        "detail": SLUG_ERROR,
                        "fields": {"product_category": [SLUG_ERROR]},
                    },
                },
            ]
        },
        response_only=True,
        status_codes=["200"],
    ),
]

LICENSE_REQUEST = {
    "talent": "TR-7KQ3-M9XD",
    "use": "advertising",
    "modalities": ["image", "video"],
    "territories": ["US", "CA"],
    "channels": ["online", "social"],
    "valid_from": "2027-03-01",
    "valid_until": "2027-06-30",
    "fee": {"amount": "4000.00", "currency": "USD"},
    "product_category": "apparel",
    "description": "Spring denim campaign: studio photos and a 15-second video for our online shop and "
    "social channels in the US and Canada.",
}

LICENSE_REQUEST_CREATE = [
    OpenApiExample("Spring campaign", value=LICENSE_REQUEST, request_only=True),
    OpenApiExample(
        "Created, waiting for the talent",
        value={
            "id": 42,
            "status": "pending",
            "talent": {"registry_id": "TR-7KQ3-M9XD", "stage_name": "Ana Reyes"},
            "organization": "Acme Apparel",
            "use": "advertising",
            "modalities": ["image", "video"],
            "territories": ["US", "CA"],
            "channels": ["online", "social"],
            "product_category": "apparel",
            "valid_from": "2027-03-01",
            "valid_until": "2027-06-30",
            "fee": {"amount": "4000.00", "currency": "USD"},
            "conditions": {"attribution": False, "ai_disclosure": False},
            "description": LICENSE_REQUEST["description"],
            "license_id": None,
            "created_at": "2026-11-25T10:12:03Z",
            "updated_at": "2026-11-25T10:12:03Z",
            "offers": [
                {
                    "kind": "request",
                    "author": None,  # sent with an API key (a key is not a person)
                    "terms": {
                        **{k: v for k, v in LICENSE_REQUEST.items() if k not in ("talent", "description")},
                        "ai_disclosure": False,
                        "attribution": False,
                    },
                    "message": "",
                    "created_at": "2026-11-25T10:12:03Z",
                }
            ],
        },
        response_only=True,
        status_codes=["201"],
    ),
]

TRACKING_CODE = "f3Jq9Zt0b8Qw1mXc4Lr7Vn2Kp6Hs5Dy0Ae3Gu9Ti1Oo"  # 256 random bits, shown once

REPORT_CREATE = [
    OpenApiExample(
        "An ad using a talent's face without a license",
        value={
            "urls": ["https://www.instagram.com/p/Cx1a2b3c4d5/"],
            "platform": "instagram",
            "seen_on": "2026-11-20",
            "talent": "TR-7KQ3-M9XD",
            "organization": "Shady Sneakers Ltd",
            "use": "advertising",
            "description": "A sponsored post uses my face to sell sneakers; I never agreed to it.",
            "relationship": "self",
            "reporter_name": "Ana Reyes",
            "reporter_email": "ana@example.org",
        },
        request_only=True,
        media_type="multipart/form-data",
    ),
    OpenApiExample(
        "Received",
        value={
            "tracking_code": TRACKING_CODE,
            "tracking_url": f"https://registry.example.org/cases/track/{TRACKING_CODE}/",
            "status": "received",
        },
        response_only=True,
        status_codes=["201"],
    ),
]

VERIFY = [
    OpenApiExample(
        "A valid license",
        value={
            "license_id": "LIC-3F9A0C12B7D4",
            "status": "valid",
            "talent": {"registry_id": "TR-7KQ3-M9XD", "stage_name": "Ana Reyes"},
            "organization": "Acme Apparel",
            "use": "advertising",
            "modalities": ["image", "video"],
            "territories": ["US", "CA"],
            "channels": ["online", "social"],
            "product_category": "apparel",
            "valid_from": "2027-03-01",
            "valid_until": "2027-06-30",
            "conditions": {"attribution": True, "ai_disclosure": False},
            "terminated_at": None,
        },
        response_only=True,
        status_codes=["200"],
    ),
]
