"""Machine-readable exports of a talent's public terms: the registry's JSON, IPTC plus:DataMining, W3C TDMRep
and the C2PA training-and-data-mining assertion. The mapping is documented in docs/terms-exports.md.

Only public conditions leave the registry: never the separate-consent description, duration, pay or
representation, nor any private profile field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse

from registry.consent import vocab
from registry.consent.organizations import attach_names, organization_names
from registry.consent.summaries import USE_LABELS, USE_ORDER, default_decision, public_conditions
from registry.consent.vocab import Decision, Use

FORMATS = ("registry", "tdmrep", "iptc", "c2pa")

ALLOWED, CONSTRAINED, NOT_ALLOWED = "allowed", "constrained", "notAllowed"
_RANK = {ALLOWED: 0, CONSTRAINED: 1, NOT_ALLOWED: 2}

DMI = "http://ns.useplus.org/ldf/vocab/DMI-"
PLUS_NS = "http://ns.useplus.org/ldf/xmp/1.0/"


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def policy_url(registry_id: str) -> str:
    return site_url(reverse("consent:policy", args=[registry_id]))


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


# --- stances: one use's public answer as allowed / constrained / notAllowed ------------------------------


@dataclass(frozen=True)
class Stance:
    use: str
    level: str
    info: str = ""


def _unconstrained(term) -> bool:
    """An `allow` with nothing to respect: every medium, worldwide, every channel, any caller, no window, fee
    or duty. A term limited to named organizations is `constrained` (IPTC: see constraint)."""
    return (
        set(term.modalities) >= vocab.MODALITIES
        and vocab.WORLDWIDE in term.territories
        and set(term.channels) >= vocab.CHANNELS
        and term.valid_until is None
        and term.min_fee_amount is None
        and not (term.attribution or term.ai_disclosure or term.excluded_categories or term.organizations)
    )


def _lower(label: str) -> str:
    """'Creating a digital replica' → 'creating a digital replica'; 'AI training' stays as it is."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def stance(version, use: str, as_of: date, registry_id: str) -> Stance:
    term = next((t for t in version.terms.all() if t.use == use), None) if version else None
    decision = term.decision if term else default_decision(use)
    label = _lower(USE_LABELS[use])
    where = policy_url(registry_id)
    in_window = term is not None and (
        (term.valid_from is None or term.valid_from <= as_of)
        and (term.valid_until is None or as_of <= term.valid_until)
    )
    if decision == Decision.DENY:
        return Stance(use, NOT_ALLOWED, f"The talent does not allow {label}. See {where}")
    if decision == Decision.ALLOW and in_window and _unconstrained(term):
        return Stance(use, ALLOWED)
    if decision == Decision.ALLOW and in_window:
        conditions = " ".join(public_conditions(term))
        return Stance(
            use,
            CONSTRAINED,
            f"Allowed for {label} only under the talent's conditions: {conditions} "
            f"Otherwise a license is required. See {where}",
        )
    return Stance(
        use,
        CONSTRAINED,
        f"{USE_LABELS[use]} only under a license the talent approves, requested through the Likeness "
        f"Registry. See {where}",
    )


def strictest(*stances: Stance) -> Stance:
    worst = max(_RANK[s.level] for s in stances)
    chosen = [s for s in stances if _RANK[s.level] == worst]
    info = " ".join(dict.fromkeys(s.info for s in chosen if s.info))
    return Stance(chosen[0].use, chosen[0].level, info)


def c2pa_entries(version, as_of: date, registry_id: str) -> dict[str, Stance]:
    """The four C2PA training-and-data-mining entries from the talent's uses (docs/terms-exports.md)."""

    if version is not None:
        attach_names(version.terms.all())  # one query, and none when no term names an organization

    def s(use):
        return stance(version, use, as_of, registry_id)

    training = s(Use.AI_TRAINING)
    return {
        "data_mining": training,
        "ai_training": training,
        "ai_generative_training": strictest(training, s(Use.REPLICA_CREATION)),
        "ai_inference": strictest(s(Use.REPLICA_USE), s(Use.DIGITAL_ALTERATION)),
    }


def _c2pa_assertion(entries: dict[str, Stance], prefix: str) -> dict:
    out = {}
    for key, st in entries.items():
        entry = {"use": st.level}
        if st.level != ALLOWED:
            entry["constraint_info"] = st.info
        out[f"{prefix}.{key}"] = entry
    return {"label": f"{prefix}.training-mining", "data": {"entries": out}}


def c2pa_document(talent, version, as_of: date) -> dict:
    entries = c2pa_entries(version, as_of, talent.registry_id)
    return {
        "talent": talent.registry_id,
        "as_of": as_of.isoformat(),
        "version": version.number if version else None,
        "sha256": version.sha256 if version else None,
        "assertion": _c2pa_assertion(entries, "c2pa"),
        "cawg_assertion": _c2pa_assertion(entries, "cawg"),
    }


# --- IPTC / PLUS ----------------------------------------------------------------------------------------


def iptc_values(version, as_of: date, registry_id: str) -> tuple[str, str]:
    """(plus:DataMining URI, plus:OtherConstraints text or "")."""
    entries = c2pa_entries(version, as_of, registry_id)
    training, generative = entries["ai_training"], entries["ai_generative_training"]
    if training.level == NOT_ALLOWED:
        return DMI + "PROHIBITED-AIMLTRAINING", ""
    if training.level == CONSTRAINED:
        return DMI + "PROHIBITED-SEECONSTRAINT", training.info
    if generative.level == NOT_ALLOWED:
        return DMI + "PROHIBITED-GENAIMLTRAINING", ""
    if generative.level == CONSTRAINED:
        return DMI + "PROHIBITED-SEECONSTRAINT", generative.info
    return DMI + "ALLOWED", ""


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
    data_mining, other = iptc_values(version, as_of, talent.registry_id)
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


# --- W3C TDMRep -----------------------------------------------------------------------------------------


def tdm_reservation(version, as_of: date, registry_id: str) -> int:
    """1 (rights reserved) unless mining and all AI training of the talent's likeness are allowed outright."""
    entries = c2pa_entries(version, as_of, registry_id)
    return 0 if all(entries[k].level == ALLOWED for k in ("data_mining", "ai_generative_training")) else 1


def tdm_fields(talent, version, as_of: date) -> dict:
    """The two TDMRep properties; tdm-policy only accompanies a reservation."""
    reservation = tdm_reservation(version, as_of, talent.registry_id)
    fields = {"tdm-reservation": reservation}
    if reservation:
        fields["tdm-policy"] = policy_url(talent.registry_id)
    return fields


def tdmrep_document(talent, version, as_of: date) -> dict:
    fields = tdm_fields(talent, version, as_of)
    meta = [f'<meta name="tdm-reservation" content="{fields["tdm-reservation"]}">']
    if "tdm-policy" in fields:
        meta.append(f'<meta name="tdm-policy" content="{escape(fields["tdm-policy"])}">')
    return {
        "talent": talent.registry_id,
        "as_of": as_of.isoformat(),
        "version": version.number if version else None,
        "sha256": version.sha256 if version else None,
        **fields,
        "headers": {k: str(v) for k, v in fields.items()},
        "html_meta": meta,
        "well_known": {"location": f"/talent/{talent.registry_id}/*", **fields},
    }


def tdm_policy(talent, version, as_of: date) -> dict:
    """The TDM policy (ODRL JSON-LD, TDMRep profile) that tdm-policy points to."""
    entries = c2pa_entries(version, as_of, talent.registry_id)
    uid = policy_url(talent.registry_id)
    target = site_url(f"/talent/{talent.registry_id}/")
    policy = {
        "@context": ["http://www.w3.org/ns/odrl.jsonld", {"tdm": "http://www.w3.org/ns/tdmrep#"}],
        "@type": "Offer",
        "profile": "http://www.w3.org/ns/tdmrep",
        "uid": uid,
        "assigner": {"uid": target, "vcard:fn": talent.stage_name},
        "description": " ".join(
            f"{key.replace('_', ' ')}: {st.level}." + (f" {st.info}" if st.info else "")
            for key, st in entries.items()
        ),
    }
    training = entries["ai_training"]
    if training.level == NOT_ALLOWED:
        policy["@type"] = "Policy"
        policy["prohibition"] = [{"target": target, "action": "tdm:mine"}]
    else:
        permission = {"target": target, "action": "tdm:mine"}
        if training.level == CONSTRAINED:
            permission["duty"] = [{"action": "obtainConsent", "uid": terms_api_url(talent.registry_id)}]
        policy["permission"] = [permission]
    return policy


def export(fmt: str, talent, version, as_of: date) -> dict:
    return {
        "registry": registry_document,
        "tdmrep": tdmrep_document,
        "iptc": iptc_document,
        "c2pa": c2pa_document,
    }[fmt](talent, version, as_of)
