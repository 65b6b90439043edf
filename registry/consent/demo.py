"""Demo term histories for the demo talent (registry/talent/demo.py runs first). Idempotent: talent who
already have any term version are left alone."""

from __future__ import annotations

from datetime import date

from accounts.models import User
from registry.consent import drafts, revocation, signing
from registry.consent.models import TermVersion
from registry.consent.summaries import plain_text
from registry.talent.models import TalentProfile

US_CA = ["CA", "US"]
ALL_CHANNELS = ["print", "online", "social", "broadcast", "out_of_home", "film_tv", "games"]
NO_SENSITIVE = ["political", "adult", "tobacco", "gambling", "weapons"]


def _ad(territories, channels, *, fee=None, until=None, modalities=("image", "video"), **extra) -> dict:
    term = {
        "decision": "allow",
        "modalities": list(modalities),
        "territories": territories,
        "channels": channels,
        "attribution": extra.pop("attribution", False),
        "ai_disclosure": extra.pop("ai_disclosure", False),
        "excluded_categories": extra.pop("excluded", NO_SENSITIVE),
    }
    if fee:
        term["min_fee"] = {"amount": fee[0], "currency": fee[1]}
    if until:
        term["valid_until"] = until
    return term


def _personal(description, duration, pay, represented_by="", **conditions) -> dict:
    return {
        **_ad(
            conditions.pop("territories", ["worldwide"]),
            conditions.pop("channels", ["online", "social"]),
            modalities=conditions.pop("modalities", ("image", "video")),
            ai_disclosure=True,
            **conditions,
        ),
        "consent_description": description,
        "consent_duration": duration,
        "consent_pay": pay,
        "represented_by": represented_by,
    }


DENY = {"decision": "deny"}
LICENSE = {"decision": "license"}


def _sign(
    talent, effective_from, uses, *, user=None, signed_as="talent", signer=None, ref="", ip="203.0.113.10"
):
    draft = drafts.create_draft(talent=talent, effective_from=effective_from, uses=uses, actor=user)
    personal = {
        u
        for u, t in uses.items()
        if u in ("replica_creation", "replica_use", "ai_training") and t.get("decision") == "allow"
    }
    ctx = signing.SignatureContext(
        actor=user,
        signed_as=signed_as,
        signer_name=signer or talent.legal_name or talent.stage_name,
        ip=None if signed_as == "paper" else ip,
        user_agent="" if signed_as == "paper" else "Mozilla/5.0 (demo data)",
        text_shown=plain_text(draft),
        document_ref=ref,
        confirmed_uses=None if signed_as == "paper" else frozenset(personal),
        # The demo signers read the AB 2602 warning and chose to sign without representation.
        unrepresented_uses=frozenset(personal),
    )
    return signing.sign_version(draft, ctx)


def _revoke(talent, effective_from, uses, *, user=None, signed_as="talent", signer=None, decision=None):
    ctx = signing.SignatureContext(
        actor=user,
        signed_as=signed_as,
        signer_name=signer or talent.legal_name or talent.stage_name,
        ip="203.0.113.20",
        user_agent="Mozilla/5.0 (demo data)",
        text_shown=f"I revoke {', '.join(uses) if uses else 'all uses'} from {effective_from:%Y-%m-%d}.",
    )
    return revocation.revoke(
        talent=talent, uses=uses, effective_from=effective_from, ctx=ctx, decision=decision
    )


def _ana(talent, user, agent):
    _sign(
        talent,
        date(2026, 2, 1),
        {
            "advertising": _ad(
                US_CA, ["online", "print"], fee=("500.00", "USD"), until="2027-12-31", attribution=True
            ),
            "editorial": _ad(["worldwide"], ALL_CHANNELS, excluded=[]),
            "ai_training": DENY,
        },
        user=user,
    )
    _sign(
        talent,
        date(2026, 6, 1),
        {
            "advertising": _ad(
                US_CA,
                ["online", "print", "social"],
                fee=("650.00", "USD"),
                until="2027-12-31",
                attribution=True,
            ),
            "editorial": _ad(["worldwide"], ALL_CHANNELS, excluded=[]),
            "replica_use": _personal(
                "AI-generated try-on images of my digital double for Acme Apparel's online catalogue only.",
                "Until 2027-05-31",
                "USD 2,500 per season plus USD 40 per published image",
                represented_by="SAG-AFTRA Los Angeles Local",
                territories=["US"],
                channels=["online", "social"],
                modalities=("image",),
            ),
            "ai_training": DENY,
        },
        user=user,
    )
    # The agent withdraws editorial use; the replica consent Ana gave in person is carried forward unchanged.
    _revoke(
        talent,
        date(2026, 10, 1),
        ["editorial"],
        user=agent,
        signed_as="representative",
        signer=agent.display_name or agent.email,
    )


def _kofi(talent, user):
    _sign(
        talent,
        date(2026, 3, 1),
        {
            "advertising": _ad(
                ["worldwide"],
                ["online", "broadcast", "social"],
                modalities=("voice",),
                fee=("1200.00", "USD"),
            ),
            "digital_alteration": {**LICENSE, "min_fee": {"amount": "800.00", "currency": "USD"}},
            "ai_training": {**LICENSE, "min_fee": {"amount": "5000.00", "currency": "USD"}},
        },
        user=user,
    )
    _sign(
        talent,
        date(2026, 9, 1),
        {
            "advertising": _ad(
                ["worldwide"],
                ["online", "broadcast", "social"],
                modalities=("voice",),
                fee=("1200.00", "USD"),
            ),
            "digital_alteration": {**LICENSE, "min_fee": {"amount": "800.00", "currency": "USD"}},
            "replica_creation": _personal(
                "A synthetic voice model of my voice for the audiobook series 'Harbour Lights' "
                "by Tidewater Audio.",
                "24 months from 2026-09-01",
                "USD 12,000 flat plus 5% royalties",
                represented_by="Okoro & Lane LLP",
                modalities=("voice",),
                channels=["online"],
            ),
            "ai_training": DENY,
        },
        user=user,
    )


def _paper(talent, versions):
    for effective_from, ref, uses in versions:
        _sign(talent, effective_from, uses, signed_as="paper", ref=ref)


def _roster(by_number: dict, guardian):
    plans = {
        "U-200101": lambda t: _paper(
            t,
            [
                (
                    date(2025, 9, 1),
                    "paper form 2025-311",
                    {
                        "advertising": _ad(
                            ["worldwide"], ["print", "online", "out_of_home"], fee=("900.00", "EUR")
                        ),
                        "ai_training": DENY,
                    },
                ),
                (
                    date(2026, 4, 1),
                    "paper form 2026-044",
                    {
                        "advertising": _ad(
                            ["worldwide"],
                            ["print", "online", "out_of_home", "social"],
                            fee=("1100.00", "EUR"),
                            ai_disclosure=True,
                        ),
                        "digital_alteration": LICENSE,
                        "ai_training": DENY,
                    },
                ),
            ],
        ),
        "U-200102": lambda t: _paper(
            t,
            [
                (
                    date(2026, 1, 10),
                    "paper form 2026-007",
                    {
                        "advertising": _ad(
                            ["ES", "MX", "US"], ["broadcast", "online"], modalities=("voice",)
                        ),
                        "replica_creation": DENY,
                        "replica_use": DENY,
                        "ai_training": DENY,
                    },
                )
            ],
        ),
        "U-200103": lambda t: (
            _sign(
                t,
                date(2026, 2, 14),
                {
                    "advertising": _ad(["IE", "GB"], ["online", "social"], fee=("300.00", "EUR")),
                    "editorial": _ad(["worldwide"], ALL_CHANNELS, excluded=[]),
                },
                ip="203.0.113.33",
            ),
            _revoke(t, date(2026, 8, 1), None, decision="deny"),
        ),
        "U-200104": lambda t: _paper(
            t,
            [
                (
                    date(2025, 11, 1),
                    "paper form 2025-402",
                    {
                        "advertising": _ad(["SE", "NO", "DK", "FI"], ["film_tv", "broadcast", "online"]),
                        "digital_alteration": LICENSE,
                        "ai_training": DENY,
                    },
                )
            ],
        ),
        "U-200106": lambda t: (
            _sign(
                t,
                date(2026, 5, 1),
                {
                    "advertising": _ad(
                        ["NG", "GB", "US"],
                        ["social", "online"],
                        fee=("400.00", "GBP"),
                        attribution=True,
                        ai_disclosure=True,
                    ),
                    "replica_use": LICENSE,
                    "ai_training": DENY,
                },
                ip="203.0.113.41",
            ),
            _sign(
                t,
                date(2026, 7, 15),
                {
                    "advertising": _ad(
                        ["NG", "GB", "US"],
                        ["social", "online"],
                        fee=("450.00", "GBP"),
                        attribution=True,
                        ai_disclosure=True,
                    ),
                    "ai_training": _personal(
                        "Training a dance-motion model for the game 'Rhythm City' "
                        "by Bright Pixel Studios only.",
                        "18 months",
                        "GBP 3,000 flat",
                        modalities=("video",),
                        channels=["games"],
                    ),
                    "replica_use": LICENSE,
                },
                ip="203.0.113.41",
            ),
        ),
        "U-200107": lambda t: _sign(
            t,
            date(2026, 3, 20),
            {
                "advertising": LICENSE,
                "editorial": _ad(["worldwide"], ALL_CHANNELS, modalities=("voice",), excluded=[]),
                "replica_creation": DENY,
                "ai_training": DENY,
            },
            ip="203.0.113.52",
        ),
        "U-200112": lambda t: _sign(
            t,
            date(2026, 6, 20),
            {
                "advertising": _ad(
                    ["JP"],
                    ["print", "online"],
                    fee=("60000.00", "JPY"),
                    excluded=[*NO_SENSITIVE, "alcohol", "cosmetic_surgery"],
                ),
                "replica_creation": DENY,
                "replica_use": DENY,
                "ai_training": DENY,
            },
            user=guardian,
            signed_as="guardian",
            signer=guardian.display_name if guardian else "Guardian",
        ),
    }
    done = 0
    for number, plan in plans.items():
        talent = by_number.get(number)
        if talent is None or talent.term_versions.exists():
            continue
        if number == "U-200112" and guardian is None:
            continue
        plan(talent)
        done += 1
    return done


def seed(stdout) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    agent = users.get("agent@demo.example")
    created = 0
    for email, fill in (("talent@demo.example", _ana), ("talent2@demo.example", _kofi)):
        user = users.get(email)
        talent = TalentProfile.objects.filter(user=user).first() if user else None
        if talent is None or TermVersion.objects.filter(talent=talent).exists():
            continue
        if fill is _ana:
            if agent is None:
                continue
            fill(talent, user, agent)
        else:
            fill(talent, user)
        created += 1
    by_number = {
        t.membership_number: t for t in TalentProfile.objects.filter(membership_number__startswith="U-2001")
    }
    created += _roster(by_number, users.get("guardian@demo.example"))
    stdout.write(
        f"Terms: {created} talent given term histories; "
        f"{TermVersion.objects.filter(status='signed').count()} signed versions in total."
    )
