"""Machine-readable exports of a talent's public terms: the registry's JSON, IPTC plus:DataMining, W3C TDMRep
(and IETF AIPREF headers) and the C2PA/CAWG training-and-data-mining assertion. All mining answers come from
one `MiningStance` (registry/consent/mining.py). The mapping is documented in docs/terms-exports.md.

Only public conditions leave the registry: never the separate-consent description, duration, pay or
representation, nor any private profile field.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings

from registry.consent import mining, vocab
from registry.consent.mining import (
    ALLOWED,
    CONSTRAINED,
    DMI,
    ENTRY_LABELS,
    NOT_ALLOWED,
    MiningStance,
    Stance,
    cawg_entries,
    iptc_data_mining,
    mining_stance,
    policy_url,
)
from registry.consent.organizations import attach_names, organization_names
from registry.consent.summaries import USE_ORDER, default_decision
from registry.consent.vocab import Use

__all__ = ["ALLOWED", "CONSTRAINED", "DMI", "NOT_ALLOWED", "Stance"]

FORMATS = ("registry", "tdmrep", "iptc", "c2pa")

PLUS_NS = "http://ns.useplus.org/ldf/xmp/1.0/"


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def terms_api_url(registry_id: str) -> str:
    return site_url(f"/api/v1/talent/{registry_id}/terms/")


def public_term(term, use: str) -> dict:
    """One use's decision and public conditions (the registry's own JSON shape)."""
    if term is None:
        return {"decision": default_decision(use), "source": "default"}
    return {
        "decision": term.decision,
        "source": "terms",
        "modalities": list(term.modalities),
        "territories": list(term.territories),
        "channels": list(term.channels),
        "valid_from": term.valid_from.isoformat() if term.valid_from else None,
        "valid_until": term.valid_until.isoformat() if term.valid_until else None,
        "min_fee": (
            {"amount": f"{term.min_fee_amount:.2f}", "currency": term.min_fee_currency}
            if term.min_fee_amount is not None
            else None
        ),
        "attribution": term.attribution,
        "ai_disclosure": term.ai_disclosure,
        "excluded_categories": list(term.excluded_categories),
        "organizations": organization_names(term),
        **({"separate_consent": term.separate_consent} if use in vocab.PERSONAL_CONSENT_USES else {}),
    }


def registry_document(talent, version, as_of: date) -> dict:
    terms = {t.use: t for t in version.terms.all()} if version else {}
    attach_names(terms.values())
    return {
        "talent": talent.registry_id,
        "stage_name": talent.stage_name,
        "as_of": as_of.isoformat(),
        "version": (
            {
                "number": version.number,
                "effective_from": version.effective_from.isoformat(),
                "signed_at": version.signed_at.isoformat(),
                "is_revocation": version.is_revocation,
                "sha256": version.sha256,
            }
            if version
            else None
        ),
        "uses": {use: public_term(terms.get(use), use) for use in USE_ORDER},
        "links": {"policy": policy_url(talent.registry_id), "terms": terms_api_url(talent.registry_id)},
    }


# --- the mining stance, spelt four ways (registry/consent/mining.py) -----------------------------------


def _name_organizations(version) -> None:
    """Organization names for the constraint texts: one query, and none when no term names one or the names
    are already attached."""
    if version is not None:
        attach_names(
            t
            for t in version.terms.all()
            if t.organizations and getattr(t, "organization_names", None) is None
        )


def c2pa_entries(version, as_of: date, registry_id: str) -> dict[str, Stance]:
    """The four training-and-data-mining entries, keyed without prefix (docs/terms-exports.md)."""
    _name_organizations(version)
    return mining_stance(version, as_of, registry_id).entries()


def stance_of(talent, version, as_of: date) -> MiningStance:
    _name_organizations(version)
    return mining_stance(version, as_of, talent.registry_id)


def _assertion(ms: MiningStance, prefix: str) -> dict:
    return {"label": f"{prefix}.training-mining", "data": {"entries": cawg_entries(ms, prefix)}}


def c2pa_document(talent, version, as_of: date) -> dict:
    ms = stance_of(talent, version, as_of)
    return {
        "talent": talent.registry_id,
        "as_of": as_of.isoformat(),
        "version": version.number if version else None,
        "sha256": version.sha256 if version else None,
        "assertion": _assertion(ms, "c2pa"),
        "cawg_assertion": _assertion(ms, "cawg"),
    }


# --- IPTC / PLUS ----------------------------------------------------------------------------------------


def iptc_values(version, as_of: date, registry_id: str) -> tuple[str, str]:
    """(plus:DataMining URI, plus:OtherConstraints text or "")."""
    _name_organizations(version)
    return iptc_data_mining(mining_stance(version, as_of, registry_id))


def xmp_packet(data_mining: str, other_constraints: str, web_statement: str) -> str:
    constraints = ""
    if other_constraints:
        constraints = (
            "\n   <plus:OtherConstraints>\n    <rdf:Alt>\n"
            f'     <rdf:li xml:lang="x-default">{escape(other_constraints)}</rdf:li>\n'
            "    </rdf:Alt>\n   </plus:OtherConstraints>"
        )
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        f'    xmlns:plus="{PLUS_NS}"\n'
        '    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">\n'
        f"   <plus:DataMining>{escape(data_mining)}</plus:DataMining>{constraints}\n"
        f"   <xmpRights:WebStatement>{escape(web_statement)}</xmpRights:WebStatement>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>"
    )


def iptc_document(talent, version, as_of: date) -> dict:
    data_mining, other = iptc_data_mining(stance_of(talent, version, as_of))
    doc = {
        "talent": talent.registry_id,
        "as_of": as_of.isoformat(),
        "version": version.number if version else None,
        "sha256": version.sha256 if version else None,
        "plus:DataMining": data_mining,
    }
    if other:
        doc["plus:OtherConstraints"] = other
    doc["xmpRights:WebStatement"] = policy_url(talent.registry_id)
    doc["xmp"] = xmp_packet(data_mining, other, policy_url(talent.registry_id))
    return doc


# --- W3C TDMRep and IETF AIPREF -------------------------------------------------------------------------


def tdm_fields(talent, version, as_of: date) -> dict:
    """The two TDMRep properties; tdm-policy only with a reservation and an offer."""
    return mining.tdm_fields(stance_of(talent, version, as_of), talent.registry_id)


def public_headers(talent, version, as_of: date) -> dict[str, str]:
    """tdm-reservation, tdm-policy (when offered) and Content-Usage: every public page or file of a talent."""
    return mining.http_headers(stance_of(talent, version, as_of), talent.registry_id)


def tdmrep_document(talent, version, as_of: date) -> dict:
    ms = stance_of(talent, version, as_of)
    fields = mining.tdm_fields(ms, talent.registry_id)
    meta = [f'<meta name="{n}" content="{escape(v)}">' for n, v in mining.html_meta(ms, talent.registry_id)]
    return {
        "talent": talent.registry_id,
        "as_of": as_of.isoformat(),
        "version": version.number if version else None,
        "sha256": version.sha256 if version else None,
        **fields,
        "headers": mining.http_headers(ms, talent.registry_id),
        "html_meta": meta,
        "well_known": {"location": f"/talent/{talent.registry_id}/*", **fields},
    }


def _permission(key: str, st: Stance, target: str, version) -> dict:
    """tdm:mine for one purpose (the CAWG entry name), with the duties of a license when constrained."""
    permission = {
        "target": target,
        "action": "tdm:mine",
        "constraint": [{"leftOperand": "purpose", "operator": "eq", "rightOperand": f"cawg.{key}"}],
    }
    if st.level == CONSTRAINED:
        duties = [{"action": "obtainConsent"}]
        term = None
        if key != "data_mining" and version is not None:
            term = next((t for t in version.terms.all() if t.use == Use.AI_TRAINING), None)
        if term is not None and term.min_fee_amount is not None:
            duties.append({"action": "compensate"})
        permission["duty"] = duties
    return permission


def tdm_policy(talent, version, as_of: date) -> dict | None:
    """The TDMRep policy (an ODRL Offer in the TDMRep profile) that tdm-policy points to, or None when nothing
    is offered (every kind of mining denied: a bare tdm-reservation: 1)."""
    ms = stance_of(talent, version, as_of)
    if not ms.offered:
        return None
    target = site_url(f"/talent/{talent.registry_id}/")
    return {
        "@context": ["http://www.w3.org/ns/odrl.jsonld", "http://www.w3.org/ns/tdmrep.jsonld"],
        "@type": "Offer",
        "profile": "http://www.w3.org/ns/tdmrep",
        "uid": policy_url(talent.registry_id),
        "assigner": {
            "uid": target,
            "vcard:fn": talent.stage_name,
            "vcard:hasURL": policy_url(talent.registry_id),
        },
        "description": " ".join(
            f"{ENTRY_LABELS[key]}: {st.level}." + (f" {st.info}" if st.info else "")
            for key, st in ms.entries().items()
        ),
        "permission": [_permission(key, getattr(ms, key), target, version) for key in ms.offered],
    }


def export(fmt: str, talent, version, as_of: date) -> dict:
    return {
        "registry": registry_document,
        "tdmrep": tdmrep_document,
        "iptc": iptc_document,
        "c2pa": c2pa_document,
    }[fmt](talent, version, as_of)
