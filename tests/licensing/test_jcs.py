"""Certificates are canonicalised with RFC 8785 (JCS) through the `rfc8785` library: checked against the RFC's
own examples, and against the bytes signed before JCS was named (identical for certificate payloads, so every
certificate issued earlier still verifies), including a talent named "Mai Nguyễn"."""

import base64
import json
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.licensing import certificates

# RFC 8785 §3.2.2: the sample input (numbers, a string with escapes, literals) and its canonical form.
RFC_3_2_2_INPUT = r"""{
  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
RFC_3_2_2_OUTPUT = (
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
    '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
)

# RFC 8785 §3.2.3: names sorted by UTF-16 code units (the emoji, a surrogate pair, sorts before U+FB33).
RFC_3_2_3_INPUT = r"""{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"""
RFC_3_2_3_OUTPUT = (
    '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",'
    '"€":"Euro Sign","\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
)

# RFC 8785 Appendix B: IEEE 754 doubles (as hex bit patterns) and their canonical text.
RFC_APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def legacy_bytes(payload: dict) -> bytes:
    """What certificates were signed over before JCS was named."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def test_rfc_8785_sample_with_numbers_strings_and_literals():
    assert certificates.canonical_bytes(json.loads(RFC_3_2_2_INPUT)) == RFC_3_2_2_OUTPUT.encode("utf-8")


def test_rfc_8785_member_sorting_by_utf16_code_units():
    assert certificates.canonical_bytes(json.loads(RFC_3_2_3_INPUT)) == RFC_3_2_3_OUTPUT.encode("utf-8")
    # Python's own sort (by code point) puts U+FB33 before the emoji: not JCS.
    assert legacy_bytes(json.loads(RFC_3_2_3_INPUT)) != RFC_3_2_3_OUTPUT.encode("utf-8")


@pytest.mark.parametrize(("bits", "expected"), RFC_APPENDIX_B)
def test_rfc_8785_appendix_b_numbers(bits, expected):
    (number,) = struct.unpack(">d", bytes.fromhex(bits))
    assert certificates.canonical_bytes({"n": number}) == f'{{"n":{expected}}}'.encode()


def mai_payload() -> dict:
    return {
        "license_id": "LIC-0123456789AB",
        "talent": {"registry_id": "TR-7K3M-9QXD", "stage_name": "Mai Nguyễn"},
        "organization": "Société Générale de Mode — Hà Nội",
        "use": "advertising",
        "scope": {
            "modalities": ["image"],
            "territories": ["VN"],
            "channels": ["social"],
            "product_category": None,
        },
        "conditions": {"attribution": True, "ai_disclosure": False},
        "fee": None,
        "issued_at": "2026-02-20T09:30:00Z",
        "verify_url": "https://registry.example.org/licenses/LIC-0123456789AB/verify/",
    }


def test_non_ascii_talent_is_written_as_utf8_not_escaped():
    signed = certificates.canonical_bytes(mai_payload())
    assert "Mai Nguyễn".encode() in signed and b"\\u1ec5" not in signed
    # The pitfall the docs warn about: the default ensure_ascii=True gives other bytes.
    ascii_escaped = json.dumps(mai_payload(), sort_keys=True, separators=(",", ":")).encode()
    assert b"Mai Nguy\\u1ec5n" in ascii_escaped and ascii_escaped != signed


def test_certificate_payloads_give_the_same_bytes_as_before_jcs():
    """ASCII or not, a certificate payload (ASCII names, no numbers) canonicalises as it did before JCS."""
    for payload in (mai_payload(), {**mai_payload(), "talent": {"registry_id": "TR-1", "stage_name": "Ana"}}):
        assert certificates.canonical_bytes(payload) == legacy_bytes(payload)
    odd = {**mai_payload(), "organization": 'Tab\tquote" back\\slash \x01 \x7f \u2028 😀'}
    assert certificates.canonical_bytes(odd) == legacy_bytes(odd)


def test_a_certificate_signed_before_jcs_still_verifies():
    private = Ed25519PrivateKey.generate()
    payload = mai_payload()
    old_document = {
        "format": certificates.CERTIFICATE_FORMAT,
        "algorithm": "Ed25519",
        "key_id": "old",
        "payload": payload,
        "signature": base64.b64encode(private.sign(legacy_bytes(payload))).decode(),
    }
    assert certificates.verify_certificate(old_document, private.public_key())
    tampered = json.loads(json.dumps(old_document))
    tampered["payload"]["talent"]["stage_name"] = "Mai Nguyen"
    assert not certificates.verify_certificate(tampered, private.public_key())
