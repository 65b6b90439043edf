"""One meaning of "allowed / constrained / denied" for text and data mining and AI training of a talent's
likeness, and its spelling in the four vocabularies the registry publishes: IPTC/PLUS `plus:DataMining`,
the CAWG (C2PA) training-and-data-mining assertion, W3C TDMRep and IETF AIPREF (`Content-Usage`), plus the
`noai, noimageai` robots hint. docs/terms-exports.md explains each choice.

`mining_stance(version, as_of, registry_id)` is the only place that reads the talent's terms; every exporter
maps the `MiningStance` it returns and nothing else, so the four exports cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse

from registry.consent import vocab
from registry.consent.summaries import USE_LABELS, USE_ORDER, default_decision, public_conditions
from registry.consent.vocab import Decision, Use
from registry.core import labels

ALLOWED, CONSTRAINED, NOT_ALLOWED = "allowed", "constrained", "notAllowed"
_RANK = {ALLOWED: 0, CONSTRAINED: 1, NOT_ALLOWED: 2}

DMI = "http://ns.useplus.org/ldf/vocab/DMI-"
# The entries of the CAWG assertion, in its order; the first three are mining (TDMRep's tdm:mine).
ENTRIES = ("data_mining", "ai_training", "ai_generative_training", "ai_inference")
MINING_ENTRIES = ENTRIES[:3]
ENTRY_LABELS = {
    "data_mining": "Data mining",
    "ai_training": "AI training",
    "ai_generative_training": "Generative AI training",
    "ai_inference": "AI inference",
}


def policy_url(registry_id: str) -> str:
    return settings.SITE_URL + reverse("consent:policy", args=[registry_id])


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
    return labels.in_sentence(label)


def _term(version, use: str):
    return next((t for t in version.terms.all() if t.use == use), None) if version else None


def stance(version, use: str, as_of: date, registry_id: str) -> Stance:
    """One registry use reduced to allowed / constrained / notAllowed on `as_of`."""
    term = _term(version, use)
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


def _data_mining(training: Stance, version, as_of: date, registry_id: str) -> Stance:
    """No use of the registry names mining other than training: it is allowed when AI training is allowed
    outright, denied when the talent denies every use (nothing could be licensed), otherwise a license."""
    if training.level == ALLOWED:
        return Stance("data_mining", ALLOWED)
    if all(stance(version, use, as_of, registry_id).level == NOT_ALLOWED for use in USE_ORDER):
        return Stance(
            "data_mining",
            NOT_ALLOWED,
            f"The talent allows no use of their likeness, so no data mining. See {policy_url(registry_id)}",
        )
    return Stance(
        "data_mining",
        CONSTRAINED,
        "Data mining (other than AI training) only under a license the talent approves, requested through "
        f"the Likeness Registry. See {policy_url(registry_id)}",
    )


@dataclass(frozen=True)
class MiningStance:
    """What a machine may do with the talent's likeness, per CAWG entry (docs/terms-exports.md)."""

    data_mining: Stance
    ai_training: Stance
    ai_generative_training: Stance
    ai_inference: Stance

    def entries(self) -> dict[str, Stance]:
        return {key: getattr(self, key) for key in ENTRIES}

    def level(self, key: str) -> str:
        return getattr(self, key).level

    @property
    def mining_open(self) -> bool:
        """All mining and training allowed with no condition: the only case without a TDM reservation."""
        return all(self.level(k) == ALLOWED for k in MINING_ENTRIES)

    @property
    def offered(self) -> tuple[str, ...]:
        """The mining entries a TDM actor may do or may license (not denied)."""
        return tuple(k for k in MINING_ENTRIES if self.level(k) != NOT_ALLOWED)

    @property
    def ai_training_refused(self) -> bool:
        """No generative training without a license (denied or constrained): AIPREF `train-ai=n`, `noai`."""
        return self.level("ai_generative_training") != ALLOWED


def mining_stance(version, as_of: date, registry_id: str) -> MiningStance:
    """The single reading of a talent's effective terms (the version in effect on `as_of`, or None)."""

    def s(use):
        return stance(version, use, as_of, registry_id)

    training = s(Use.AI_TRAINING)
    return MiningStance(
        data_mining=_data_mining(training, version, as_of, registry_id),
        ai_training=training,
        ai_generative_training=strictest(training, s(Use.REPLICA_CREATION)),
        ai_inference=strictest(s(Use.REPLICA_USE), s(Use.DIGITAL_ALTERATION)),
    )


# --- the four spellings -----------------------------------------------------------------------------------


def cawg_entries(ms: MiningStance, prefix: str = "cawg") -> dict[str, dict]:
    out = {}
    for key, st in ms.entries().items():
        entry = {"use": st.level}
        if st.level != ALLOWED:
            entry["constraint_info"] = st.info
        out[f"{prefix}.{key}"] = entry
    return out


def iptc_data_mining(ms: MiningStance) -> tuple[str, str]:
    """(plus:DataMining URI, plus:OtherConstraints text or "")."""
    dm, training, generative = (ms.level(k) for k in MINING_ENTRIES)
    if ms.mining_open:
        return DMI + "ALLOWED", ""
    if dm == ALLOWED and training == NOT_ALLOWED:
        return DMI + "PROHIBITED-AIMLTRAINING", ""
    if dm == ALLOWED and training == ALLOWED and generative == NOT_ALLOWED:
        return DMI + "PROHIBITED-GENAIMLTRAINING", ""
    if dm == training == generative == NOT_ALLOWED:
        return DMI + "PROHIBITED", ""
    text = " ".join(
        f"{ENTRY_LABELS[k]}: " + ("not allowed." if ms.level(k) == NOT_ALLOWED else getattr(ms, k).info)
        for k in MINING_ENTRIES
        if ms.level(k) != ALLOWED
    )
    return DMI + "PROHIBITED-SEECONSTRAINT", text


def tdm_reservation(ms: MiningStance) -> int:
    return 0 if ms.mining_open else 1


def tdm_fields(ms: MiningStance, registry_id: str) -> dict:
    """tdm-reservation, and tdm-policy only where rights are reserved and something is offered."""
    fields = {"tdm-reservation": tdm_reservation(ms)}
    if fields["tdm-reservation"] and ms.offered:
        fields["tdm-policy"] = policy_url(registry_id)
    return fields


def aipref(ms: MiningStance) -> str:
    """The IETF AIPREF usage preference (a Structured Field Dictionary) for the Content-Usage header."""
    return f"train-ai={'n' if ms.ai_training_refused else 'y'}"


def robots(ms: MiningStance) -> str:
    """The `<meta name="robots">` content, or "" (the noai/noimageai hint where AI training is refused)."""
    return "noai, noimageai" if ms.ai_training_refused else ""


def http_headers(ms: MiningStance, registry_id: str) -> dict[str, str]:
    """Every header a public page or file of the talent carries."""
    headers = {k: str(v) for k, v in tdm_fields(ms, registry_id).items()}
    headers["Content-Usage"] = aipref(ms)
    return headers


def html_meta(ms: MiningStance, registry_id: str) -> list[tuple[str, str]]:
    meta = [(name, str(value)) for name, value in tdm_fields(ms, registry_id).items()]
    if robots(ms):
        meta.append(("robots", robots(ms)))
    return meta
