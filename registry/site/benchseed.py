"""Scale data for benchmarks (`manage.py seed_bench --talent N`): talent with signed terms, organizations,
licenses, cases and their timelines, written set-based (registry.site.benchwrite).

At N = 1,000,000 the issue's shape: 2,000 organizations, 50,000 licenses, 100,000 cases and 500,000 timeline
events; smaller N scale those down in proportion (with small floors so a demo-size run still has a queue).

Signed versions are inserted directly, as `import_registry` records paper forms: the terms go in first (the
consent triggers refuse terms only for a version already signed) and their versions after them in the same
transaction (foreign keys are checked at commit), each with its canonical document and SHA-256.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from registry.brands.models import Organization
from registry.cases.models import Case, Outcome, Platform, Priority, Status, TimelineEvent
from registry.consent.models import Term, TermVersion
from registry.consent.terms import canonical_document
from registry.licensing.models import License
from registry.site import bench_names as names
from registry.site.benchwrite import Progress, Table, analyze, next_id, reset_sequences
from registry.site.models import BenchSeed
from registry.talent.models import CROCKFORD, Discipline, NameWord, TalentProfile
from registry.talent.search import normalize_name

FULL_SIZE = 1_000_000
SHAPE = {"organizations": 2_000, "licenses": 50_000, "cases": 100_000}
FLOORS = {"organizations": 20, "licenses": 100, "cases": 200}
EVENTS_PER_CASE = 5
NO_SENSITIVE = ["political", "adult", "tobacco", "gambling", "weapons"]

# Term sets a talent signs (a few recurring shapes, as real members pick from the same paper form).
ALLOW_AD = {
    "decision": "allow",
    "modalities": ["image", "video"],
    "territories": ["US", "CA", "GB"],
    "channels": ["online", "social", "print"],
    "excluded_categories": NO_SENSITIVE,
}
EDITORIAL = {
    "decision": "allow",
    "modalities": ["image", "video", "voice"],
    "territories": ["worldwide"],
    "channels": ["print", "online", "social", "broadcast"],
}
TERM_SETS = [
    {"advertising": ALLOW_AD, "editorial": EDITORIAL, "ai_training": {"decision": "deny"}},
    {"advertising": {"decision": "license"}, "digital_alteration": {"decision": "deny"}},
    {
        "advertising": {**ALLOW_AD, "territories": ["worldwide"], "modalities": ["image", "video", "voice"]},
        "replica_use": {"decision": "license"},
        "ai_training": {"decision": "deny"},
    },
    {"advertising": {"decision": "deny"}, "editorial": EDITORIAL},
]
LICENSE_USES = ["advertising", "editorial", "digital_alteration", "replica_use"]
OPEN = [Status.NEW, Status.TRIAGE, Status.INVESTIGATING, Status.NOTICE_SENT, Status.AWAITING_RESPONSE]


@dataclass
class Sizes:
    talent: int
    organizations: int
    licenses: int
    cases: int

    @classmethod
    def for_talent(cls, n: int, **override) -> Sizes:
        scaled = {k: max(FLOORS[k], round(v * n / FULL_SIZE)) for k, v in SHAPE.items()}
        scaled.update({k: v for k, v in override.items() if v is not None})
        return cls(talent=n, **scaled)


def _registry_ids(rng: random.Random, n: int, taken: set[str]):
    while n:
        body = "".join(rng.choice(CROCKFORD) for _ in range(8))
        rid = f"TR-{body[:4]}-{body[4:]}"
        if rid not in taken:
            taken.add(rid)
            n -= 1
            yield rid


def _ascii(text: str) -> str:
    return "".join(c for c in normalize_name(text) if c.isascii() and c.isalnum()) or "member"


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randrange(8, 20), rng.randrange(60), tzinfo=UTC)


class Seeder:
    def __init__(self, sizes: Sizes, *, seed: int = 17, out=None):
        self.sizes, self.rng, self.out = sizes, random.Random(seed * 1_000_003 + sizes.talent), out
        self.today = timezone.localdate()
        self.talent_ids: list[int] = []
        self.stage_names: dict[int, str] = {}
        self.registry_ids: dict[int, str] = {}

    def progress(self, label: str, total: int) -> Progress:
        return Progress(label, total, self.out)

    def run(self) -> dict:
        with transaction.atomic():
            counts = {
                "talent": self.talent(),
                "term_versions": self.versions(),
                "organizations": self.organizations(),
                "licenses": self.licenses(),
                "cases": self.cases(),
            }
            counts["timeline_events"] = self.timeline()
            NameWord.remember_all()  # the fuzzy search's typo correction reads the names' words
            reset_sequences(TalentProfile, TermVersion, Term, Organization, License, Case, TimelineEvent)
            BenchSeed.objects.create(size=self.sizes.talent, counts=counts)
        analyze()
        return counts

    # --- talent -----------------------------------------------------------------------------------------
    def _name(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.03:
            stage = rng.choice(names.STAGE_NAMES)
            return stage, f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}"
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        if rng.random() < 0.15:
            last = f"{last}-{rng.choice(names.LAST_NAMES)}" if rng.random() < 0.5 else f"{last} {first[0]}."
        legal = f"{first} {rng.choice(names.FIRST_NAMES)} {last}" if rng.random() < 0.3 else f"{first} {last}"
        return f"{first} {last}", legal

    def talent(self) -> int:
        n, rng = self.sizes.talent, self.rng
        first = next_id(TalentProfile)
        taken = set(TalentProfile.objects.values_list("registry_id", flat=True))
        ids = _registry_ids(rng, n, taken)
        disciplines = Discipline.values
        now = timezone.now()

        def rows():
            for i in range(n):
                pk = first + i
                stage, legal = self._name()
                self.talent_ids.append(pk)
                self.stage_names[pk] = stage
                self.registry_ids[pk] = rid = next(ids)
                withdrawn = rng.random() < 0.02
                verified = not withdrawn and rng.random() < 0.9
                yield {
                    "id": pk,
                    "registry_id": rid,
                    "stage_name": stage,
                    "search_name": normalize_name(stage),
                    "disciplines": rng.sample(disciplines, rng.choice((1, 1, 2))),
                    "legal_name": legal,
                    "email": f"{_ascii(legal.split()[0])}.{_ascii(legal.split()[-1])}.{pk}@example.org",
                    "date_of_birth": date(
                        rng.randrange(1950, 2006), rng.randrange(1, 13), rng.randrange(1, 29)
                    ),
                    "membership_number": f"U-{pk:07d}",
                    "membership_status": "active" if rng.random() < 0.9 else "lapsed",
                    "is_verified": verified,
                    "verified_at": now if verified else None,
                    "verification_method": "union_records" if verified else "",
                    "status": "withdrawn" if withdrawn else "active",
                    "withdrawn_at": now if withdrawn else None,
                    "created_at": now,
                    "updated_at": now,
                }

        progress = self.progress("talent", n)
        count = Table(TalentProfile).write(rows(), progress)
        progress.close()
        return count

    # --- signed term versions (terms first: see the module docstring) -------------------------------------
    def versions(self) -> int:
        rng = self.rng
        plan = []  # (version id, talent id, number, effective_from, term set index)
        vid = next_id(TermVersion)
        for talent_id in self.talent_ids:
            day = date(rng.randrange(2019, 2024), rng.randrange(1, 13), rng.randrange(1, 29))
            for number in range(1, rng.choice((1, 1, 2, 2, 3)) + 1):
                plan.append((vid, talent_id, number, day, rng.randrange(len(TERM_SETS))))
                vid += 1
                day += timedelta(days=rng.randrange(60, 500))
        registry_ids = self.registry_ids
        term_rows = Table(Term)
        progress = self.progress("terms", len(plan))
        first_term = next_id(Term)
        documents: dict[int, str] = {}

        def terms():
            tid = first_term
            for version_id, talent_id, number, day, set_index in plan:
                built = []
                for use, spec in sorted(TERM_SETS[set_index].items()):
                    row = {"id": tid, "version_id": version_id, "use": use, **spec}
                    built.append(Term(**{k: v for k, v in row.items() if k != "id"}))
                    tid += 1
                    yield row
                version = TermVersion(
                    talent=TalentProfile(registry_id=registry_ids[talent_id]),
                    number=number,
                    effective_from=day,
                )
                documents[version_id] = canonical_document(version, built)
                progress.update(1)

        term_rows.write(terms())
        progress.close()

        def versions():
            for version_id, talent_id, number, day, _ in plan:
                document = documents.pop(version_id)
                yield {
                    "id": version_id,
                    "talent_id": talent_id,
                    "number": number,
                    "status": TermVersion.Status.SIGNED,
                    "effective_from": day,
                    "created_at": _at(day, rng),
                    "signed_at": _at(day, rng),
                    "signed_as": TermVersion.SignedAs.TALENT,
                    "signer_name": self.stage_names[talent_id],
                    "signer_ip": "203.0.113.10",
                    "signer_user_agent": "seed_bench",
                    "text_shown": "Signed terms (benchmark data).",
                    "canonical_json": document,
                    "sha256": hashlib.sha256(document.encode()).hexdigest(),
                }

        progress = self.progress("versions", len(plan))
        count = Table(TermVersion).write(versions(), progress)
        progress.close()
        return count

    # --- organizations and licenses -------------------------------------------------------------------------
    def organizations(self) -> int:
        rng, n = self.rng, self.sizes.organizations
        first = next_id(Organization)
        taken = set(Organization.objects.values_list("name", flat=True))
        now = timezone.now()
        rows = []
        for i in range(n):
            name = (
                f"{rng.choice(names.ORG_WORDS)} {rng.choice(names.ORG_NOUNS)}{rng.choice(names.ORG_SUFFIXES)}"
            )
            while name in taken:
                name = f"{name.split(' #')[0]} #{rng.randrange(2, 10_000)}"
            taken.add(name)
            rows.append(
                {
                    "id": first + i,
                    "name": name,
                    "kind": rng.choice(["brand", "brand", "agency", "platform"]),
                    "website": f"https://{_ascii(name)}.example.com",
                    "contact_email": f"legal@{_ascii(name)}.example.com",
                    "is_verified": rng.random() < 0.7,
                    "created_at": now,
                }
            )
        self.org_ids = [r["id"] for r in rows]
        return Table(Organization).write(rows)

    def licenses(self) -> int:
        rng, n = self.rng, self.sizes.licenses
        first = next_id(License)
        taken = set(License.objects.values_list("license_id", flat=True))
        now = timezone.now()

        def rows():
            for i in range(n):
                license_id = "LIC-" + secrets.token_hex(6).upper()
                while license_id in taken:
                    license_id = "LIC-" + secrets.token_hex(6).upper()
                taken.add(license_id)
                start = self.today - timedelta(days=rng.randrange(0, 900))
                use = rng.choice(LICENSE_USES)
                yield {
                    "id": first + i,
                    "license_id": license_id,
                    "talent_id": rng.choice(self.talent_ids),
                    "organization_id": rng.choice(self.org_ids),
                    "use": use,
                    "modalities": rng.sample(["image", "video", "voice"], rng.choice((1, 2))),
                    "territories": rng.sample(["US", "CA", "GB", "DE", "FR"], rng.choice((1, 2, 3))),
                    "channels": rng.sample(["online", "social", "print", "broadcast"], rng.choice((1, 2))),
                    "valid_from": start,
                    "valid_until": start + timedelta(days=rng.randrange(90, 730)),
                    "fee_amount": Decimal(rng.randrange(200, 20_000)),
                    "fee_currency": "USD",
                    "ai_disclosure": use in ("digital_alteration", "replica_use"),
                    "description": f"{use.replace('_', ' ').capitalize()} campaign (benchmark data)",
                    "approved_at": now,
                    "created_at": now,
                }

        progress = self.progress("licenses", n)
        count = Table(License).write(rows(), progress)
        progress.close()
        return count

    # --- cases and their timelines --------------------------------------------------------------------------
    def cases(self) -> int:
        rng, n = self.rng, self.sizes.cases
        first = next_id(Case)
        staff = list(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True)) or [
            None
        ]
        now = timezone.now()
        self.case_plan = []  # (case id, created_at, final status, assignee)

        def rows():
            for i in range(n):
                pk = first + i
                created = now - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
                status = rng.choices(
                    [*OPEN, Status.ESCALATED, Status.RESOLVED, Status.DISMISSED],
                    weights=[5, 5, 6, 3, 3, 1, 47, 30],
                )[0]
                closed = status in (Status.RESOLVED, Status.DISMISSED)
                talent_id = rng.choice(self.talent_ids) if rng.random() < 0.9 else None
                who = self.stage_names[talent_id] if talent_id else f"{rng.choice(names.FIRST_NAMES)} ?"
                platform = rng.choice(Platform.values)
                use = rng.choice(["advertising", "digital_alteration", "replica_use", "ai_training"])
                assignee = None if status == Status.NEW else rng.choice(staff)
                self.case_plan.append((pk, created, status, assignee))
                yield {
                    "id": pk,
                    "status": status,
                    "priority": rng.choices(Priority.values, weights=[3, 12, 70, 15])[0],
                    "talent_id": talent_id,
                    "talent_name": "" if talent_id else who,
                    "organization_id": rng.choice(self.org_ids) if rng.random() < 0.6 else None,
                    "platform": platform,
                    "use": use,
                    "summary": f"{who}: unlicensed {use.replace('_', ' ')} on {platform}",
                    "description": f"Reported {use.replace('_', ' ')} of {who}'s likeness (benchmark data).",
                    "assignee_id": assignee,
                    "triage_due_at": created + timedelta(days=2),
                    "response_due_at": created + timedelta(days=16) if status in OPEN[3:] else None,
                    "triaged_at": None if status == Status.NEW else created + timedelta(hours=20),
                    "closed_at": created + timedelta(days=rng.randrange(3, 60)) if closed else None,
                    "outcome": rng.choice([Outcome.REMOVED, Outcome.PERMITTED, Outcome.NO_VIOLATION])
                    if status == Status.RESOLVED
                    else "",
                    "dismissal_reason": "Not the talent (benchmark data)."
                    if status == Status.DISMISSED
                    else "",
                    "created_at": created,
                    "updated_at": created,
                }

        progress = self.progress("cases", n)
        count = Table(Case).write(rows(), progress)
        progress.close()
        return count

    def timeline(self) -> int:
        rng = self.rng
        first = next_id(TimelineEvent)
        kind = TimelineEvent.Kind

        def rows():
            pk = first
            for case_id, created, status, assignee in self.case_plan:
                steps = [
                    (kind.REPORTED, "", Status.NEW, "Reported through the public form."),
                    (kind.STATUS, Status.NEW, Status.TRIAGE, ""),
                    (kind.ASSIGNED, "", "", "Assigned."),
                    (kind.NOTE, "", "", "Checked the registry and the licenses."),
                    (kind.STATUS, Status.TRIAGE, status, ""),
                ]
                for step, (k, from_status, to_status, message) in enumerate(steps[:EVENTS_PER_CASE]):
                    yield {
                        "id": pk,
                        "case_id": case_id,
                        "actor_id": assignee if step else None,
                        "kind": k,
                        "from_status": from_status,
                        "to_status": to_status,
                        "message": message,
                        "at": created + timedelta(hours=step * rng.randrange(1, 30)),
                    }
                    pk += 1

        progress = self.progress("timeline", len(self.case_plan) * EVENTS_PER_CASE)
        count = Table(TimelineEvent).write(rows(), progress)
        progress.close()
        return count
