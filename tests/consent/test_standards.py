"""The exports of every demo talent, read back by third-party tools — exiftool (IPTC plus:DataMining in a JPEG
we produce), c2pa-python (the CAWG assertion signed into a JPEG and validated), pycddl (the CAWG 1.1 CDDL in
tests/consent/data), a JSON schema written from the W3C TDMRep report, http-sfv (IETF AIPREF Content-Usage,
a Structured Field Dictionary) and Python's HTML parser — and all four vocabularies agree."""

import datetime
import io
import json
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import c2pa
import cbor2
import http_sfv
import jsonschema
import pycddl
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image

from accounts import demo as core_demo
from registry.consent import demo as consent_demo
from registry.talent import demo as talent_demo
from registry.talent.models import TalentProfile

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
DMI = "http://ns.useplus.org/ldf/vocab/DMI-"
MINING = ("data_mining", "ai_training", "ai_generative_training")


# --- the tools ----------------------------------------------------------------------------------------------


def exiftool_read(xmp_packet: str, tmp_path: Path) -> dict:
    """Embed the XMP packet in a JPEG (APP1, as XMP part 3 says) and let exiftool read it back."""
    exiftool = shutil.which("exiftool")
    assert exiftool, "exiftool (Debian libimage-exiftool-perl) is needed: .ci/run installs it"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "gray").save(buffer, "JPEG")
    jpeg = buffer.getvalue()
    packet = f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{xmp_packet}\n<?xpacket end="w"?>'
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet.encode()
    path = tmp_path / "likeness.jpg"
    path.write_bytes(jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:])
    out = subprocess.run(
        [exiftool, "-json", "-G1", "-n", "-XMP:all", str(path)], capture_output=True, check=True
    )
    return json.loads(out.stdout)[0]


@pytest.fixture(scope="module")
def signer_chain():
    """A test CA and an ES256 signing certificate (C2PA's certificate profile: EKU, not a CA)."""
    now = datetime.datetime.now(datetime.UTC)

    def name(cn):
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, cn),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tests"),
            ]
        )

    def usage(**on):
        flags = dict.fromkeys(
            (
                "digital_signature",
                "content_commitment",
                "key_encipherment",
                "data_encipherment",
                "key_agreement",
                "key_cert_sign",
                "crl_sign",
                "encipher_only",
                "decipher_only",
            ),
            False,
        )
        return x509.KeyUsage(**{**flags, **on})

    def build(subject, issuer, public, signing_key, ca: bool):
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(public)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        )
        if ca:
            builder = builder.add_extension(usage(key_cert_sign=True, crl_sign=True), critical=True)
        else:
            builder = (
                builder.add_extension(usage(digital_signature=True), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
                .add_extension(
                    x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
                    critical=False,
                )
            )
        return builder.sign(signing_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = build("Registry test CA", "Registry test CA", ca_key.public_key(), ca_key, True)
    leaf = build("Registry test signer", "Registry test CA", key.public_key(), ca_key, False)
    pem = serialization.Encoding.PEM
    return {
        "chain": leaf.public_bytes(pem) + ca.public_bytes(pem),
        "key": key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        "anchor": ca.public_bytes(pem).decode(),
    }


def c2pa_round_trip(assertion: dict, chain: dict) -> tuple[str, dict]:
    """Sign the assertion into a JPEG with c2pa-python, read it back: (validation state, assertion data)."""
    manifest = {
        "claim_generator_info": [{"name": "likeness-registry-tests", "version": "1"}],
        "title": "likeness.jpg",
        "format": "image/jpeg",
        "assertions": [
            assertion,
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
                        }
                    ]
                },
            },
        ],
    }
    source = io.BytesIO()
    Image.new("RGB", (16, 16), "gray").save(source, "JPEG")
    source.seek(0)
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain["chain"], chain["key"], None)
    )
    signed = io.BytesIO()
    c2pa.Builder(manifest).sign(signer, "image/jpeg", source, signed)
    signed.seek(0)
    context = c2pa.Context.from_dict({"trust": {"trust_anchors": chain["anchor"]}})
    reader = c2pa.Reader("image/jpeg", signed, context=context)
    found = [a for a in reader.get_active_manifest()["assertions"] if a["label"] == assertion["label"]]
    return reader.get_validation_state(), found[0]["data"]


class MetaParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content", "")


def aipref_train_ai(field: str) -> str:
    """IETF AIPREF processing: parse the Dictionary, `train-ai` is a Token y or n (else unknown)."""
    parsed = http_sfv.Dictionary()
    parsed.parse(field.encode())
    item = parsed["train-ai"]
    return str(item.value) if isinstance(item.value, http_sfv.Token) else "unknown"


# --- what each vocabulary says, read independently ------------------------------------------------------


def read_all(client, api_client, talent, tmp_path, chain) -> dict:
    rid = talent.registry_id
    api = f"/api/v1/talent/{rid}/terms/"
    iptc = api_client.get(api, {"format": "iptc"}).json()
    exif = exiftool_read(iptc["xmp"], tmp_path)
    cawg = api_client.get(api, {"format": "c2pa"}).json()["cawg_assertion"]
    pycddl.Schema((DATA / "training-mining.cddl").read_text()).validate_cbor(cbor2.dumps(cawg["data"]))
    state, read_back = c2pa_round_trip(cawg, chain)
    page = client.get(f"/talent/{rid}/")
    parser = MetaParser()
    parser.feed(page.content.decode())
    policy = None
    if page.has_header("tdm-policy"):
        policy_response = client.get(
            page["tdm-policy"].removeprefix("https://registry.example.org"), HTTP_ACCEPT="application/ld+json"
        )
        assert policy_response["Content-Type"] == "application/ld+json"
        policy = policy_response.json()
        jsonschema.validate(policy, json.loads((DATA / "tdmrep-policy.schema.json").read_text()))
    return {
        "iptc": exif["XMP-plus:DataMining"],
        "iptc_other": exif.get("XMP-plus:OtherConstraints", ""),
        "c2pa_state": state,
        "cawg": {k.removeprefix("cawg."): v["use"] for k, v in read_back["entries"].items()},
        "cawg_sent": cawg["data"],
        "cawg_read": read_back,
        "reservation": int(page["tdm-reservation"]),
        "meta": parser.meta,
        "policy": policy,
        "train_ai": aipref_train_ai(page["Content-Usage"]),
        "headers_elsewhere": [
            api_client.get(api)["Content-Usage"],
            client.get(f"/terms/policy/{rid}/")["Content-Usage"],
            api_client.get(f"/api/v1/talent/{rid}/")["Content-Usage"],
        ],
        "header_reservations": {
            api_client.get(api)["tdm-reservation"],
            api_client.get(f"/api/v1/talent/{rid}/")["tdm-reservation"],
            client.get(f"/terms/policy/{rid}/")["tdm-reservation"],
        },
    }


def assert_agree(r: dict) -> None:
    cawg, policy = r["cawg"], r["policy"]
    assert r["c2pa_state"] == "Trusted" and r["cawg_read"] == r["cawg_sent"]
    # TDMRep: rights reserved unless all mining is allowed, on every public page; the same on the page itself.
    all_open = all(cawg[k] == "allowed" for k in MINING)
    assert r["reservation"] == (0 if all_open else 1) and r["header_reservations"] == {str(r["reservation"])}
    assert r["meta"]["tdm-reservation"] == str(r["reservation"])
    # IPTC says the same thing.
    if all_open:
        assert r["iptc"] == DMI + "ALLOWED"
    elif r["iptc"] == DMI + "PROHIBITED-AIMLTRAINING":
        assert cawg["ai_training"] == "notAllowed" and cawg["data_mining"] == "allowed"
    elif r["iptc"] == DMI + "PROHIBITED-GENAIMLTRAINING":
        assert (
            cawg["ai_generative_training"] == "notAllowed"
            and cawg["data_mining"] == cawg["ai_training"] == "allowed"
        )
    elif r["iptc"] == DMI + "PROHIBITED":
        assert {cawg[k] for k in MINING} == {"notAllowed"}
    else:
        assert r["iptc"] == DMI + "PROHIBITED-SEECONSTRAINT"
        labels = {
            "data_mining": "Data mining:",
            "ai_training": "AI training:",
            "ai_generative_training": "Generative AI training:",
        }
        for key in MINING:
            assert (labels[key] in r["iptc_other"]) == (cawg[key] != "allowed"), key
    # The TDMRep Offer permits exactly the mining that is not denied, with a license duty where constrained.
    offered = {k for k in MINING if cawg[k] != "notAllowed"}
    if r["reservation"] and offered:
        purposes = {}
        for permission in policy["permission"]:
            (constraint,) = permission["constraint"]
            purposes[constraint["rightOperand"].removeprefix("cawg.")] = permission
        assert set(purposes) == offered
        for key, permission in purposes.items():
            duties = {d["action"] for d in permission.get("duty", [])}
            assert ("obtainConsent" in duties) == (cawg[key] == "constrained"), key
    else:
        assert policy is None and "tdm-policy" not in r["meta"]
    # AIPREF and the robots hint: generative AI training refused unless allowed outright.
    refused = cawg["ai_generative_training"] != "allowed"
    assert r["train_ai"] == ("n" if refused else "y")
    assert set(r["headers_elsewhere"]) == {f"train-ai={r['train_ai']}"}
    assert ("noai" in r["meta"].get("robots", "")) == refused and (
        "noimageai" in r["meta"].get("robots", "")
    ) == refused
    if cawg["ai_training"] == "notAllowed":
        assert r["iptc"] != DMI + "ALLOWED" and r["reservation"] == 1 and r["train_ai"] == "n"


def test_every_demo_talent_passes_the_real_validators_and_the_four_exports_agree(
    client, api_client, settings, tmp_path, signer_chain
):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://registry.example.org"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    for module in (core_demo, talent_demo, consent_demo):
        module.seed(io.StringIO())
    seen = set()
    talent = list(TalentProfile.objects.filter(status="active").order_by("registry_id"))
    assert len(talent) >= 8
    for one in talent:
        result = read_all(client, api_client, one, tmp_path, signer_chain)
        assert_agree(result)
        seen.add((result["iptc"], tuple(sorted(result["cawg"].items()))))
    assert len({iptc for iptc, _ in seen}) >= 2  # the demo shows more than one answer


def test_the_cddl_rejects_what_the_specification_does_not_allow():
    schema = pycddl.Schema((DATA / "training-mining.cddl").read_text())
    for bad in (
        {"entries": {"cawg.ai_training": {"use": "denied"}}},
        {"entries": {"cawg.ai_training": {"use": "constrained", "constraint_info": ""}}},
        {"entries": {"cawg.ai_training": {"use": "allowed", "note": "x"}}},
        {"cawg.ai_training": {"use": "allowed"}},
    ):
        with pytest.raises(pycddl.ValidationError):
            schema.validate_cbor(cbor2.dumps(bad))


def test_the_policy_schema_rejects_the_old_policy_shape():
    old = {
        "@context": ["http://www.w3.org/ns/odrl.jsonld", {"tdm": "http://www.w3.org/ns/tdmrep#"}],
        "@type": "Policy",
        "profile": "http://www.w3.org/ns/tdmrep",
        "uid": "https://registry.example.org/terms/policy/TR-0000-0000/",
        "assigner": {"vcard:fn": "Ana"},
        "prohibition": [{"action": "tdm:mine"}],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(old, json.loads((DATA / "tdmrep-policy.schema.json").read_text()))


def test_aipref_field_is_a_structured_dictionary():
    assert aipref_train_ai("train-ai=n") == "n" and aipref_train_ai("train-ai=y") == "y"
    assert aipref_train_ai('train-ai="n"') == "unknown"  # strings are not tokens (AIPREF §processing)
