"""Demo talent: the two demo talent accounts, their agent, and a dozen varied profiles. Idempotent."""

from __future__ import annotations

import io
import random
from datetime import date

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.roles import Role, grant_role
from registry.talent import reference_media, representatives, verification
from registry.talent.models import ReferenceMedia, Representative, TalentProfile, VerificationMethod

# (membership number = stable key, stage name, legal name, disciplines, date of birth, representation, extras)
ROSTER = [
    (
        "U-200101",
        "Zoë Çelik",
        "Zoë Ayşe Çelik",
        ["model", "actor"],
        date(1994, 3, 14),
        "Lumen Models",
        {"photo": 1},
    ),
    ("U-200102", "José Núñez", "José Antonio Núñez", ["voice_artist", "actor"], date(1988, 11, 2), "", {}),
    (
        "U-200103",
        "Siobhán O'Connor",
        "Siobhán Mary O'Connor",
        ["musician"],
        date(1991, 6, 30),
        "",
        {"photo": 1},
    ),
    (
        "U-200104",
        "Björn Åkesson",
        "Björn Åkesson",
        ["actor"],
        date(1979, 1, 9),
        "Nordlys Agency",
        {"verify": 1},
    ),
    ("U-200105", "Amélie Dubois", "Amélie Claire Dubois", ["model"], date(2000, 8, 21), "Lumen Models", {}),
    ("U-200106", "Chidi Okafor", "Chidinma Okafor", ["dancer", "influencer"], date(1997, 2, 11), "", {}),
    ("U-200107", "Mai Nguyễn", "Nguyễn Thị Mai", ["voice_artist"], date(1993, 12, 5), "", {"verify": 1}),
    (
        "U-200108",
        "Lucía Fernández",
        "Lucía Fernández Ruiz",
        ["musician", "voice_artist"],
        date(1985, 4, 17),
        "",
        {},
    ),
    (
        "U-200109",
        "Noah Bennett",
        "Noah James Bennett",
        ["athlete", "model"],
        date(1999, 9, 28),
        "Pace Sports",
        {},
    ),
    (
        "U-200110",
        "Leilani Kahale",
        "Leilani Kahale",
        ["illustrator", "artist"],
        date(1990, 5, 3),
        "",
        {"unverified": 1},
    ),
    ("U-200111", "Ravi Ş. Iyer", "Ravi Şenol Iyer", ["actor"], date(1982, 10, 19), "", {"withdraw": 1}),
    (
        "U-200112",
        "Emi Tanaka",
        "Emi Tanaka",
        ["model", "actor"],
        date(2011, 7, 7),
        "",
        {"minor": 1, "photo": 1},
    ),
]

GUARDIAN_EMAIL = "guardian@demo.example"
# A stand-in for a scanned birth certificate: the smallest file the content check accepts as a PDF.
DEMO_AUTHORITY_PDF = b"%PDF-1.4\n% demo birth certificate (not a real document)\n%%EOF\n"


def _photo(seed: int, label: str) -> SimpleUploadedFile:
    """A generated portrait-like picture (no downloads): coloured background, a face-ish ellipse, initials.

    Each seed gets its own backdrop of blocks, so that no two demo people look "near-identical" to the
    duplicate check (registry.talent.duplicates compares perceptual hashes)."""
    colours = [(222, 94, 74), (74, 128, 222), (96, 170, 110), (180, 120, 200), (230, 170, 60)]
    bg = colours[seed % len(colours)]
    image = Image.new("RGB", (480, 600), bg)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for _ in range(6):
        x, y = rng.randrange(0, 400), rng.randrange(0, 520)
        grey = rng.randrange(0, 256)
        draw.rectangle([x, y, x + rng.randrange(80, 240), y + rng.randrange(80, 240)], fill=(grey,) * 3)
    cx = 140 + rng.randrange(-60, 60)
    draw.ellipse([cx, 120, cx + 200, 360], fill=(240, 210, 180))
    draw.rectangle([cx - 30, 380, cx + 230, 600], fill=(60, 60, 80))
    draw.text((20, 20), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _ensure_profile(user: User | None, **fields) -> tuple[TalentProfile, bool]:
    key = {"user": user} if user is not None else {"membership_number": fields["membership_number"]}
    talent = TalentProfile.objects.filter(**key).first()
    if talent is not None:
        return talent, False
    talent = TalentProfile(user=user, **fields)
    talent.save()
    if user is not None:
        grant_role(user, Role.TALENT)
    return talent, True


def _ensure_rep(talent, user, kind, granted_by, agency="") -> Representative:
    rep = Representative.objects.filter(talent=talent, user=user, revoked_at__isnull=True).first()
    if rep is None:
        rep = Representative.objects.create(
            talent=talent, user=user, kind=kind, agency=agency, granted_by=granted_by
        )
        grant_role(user, Role.REPRESENTATIVE)
    return rep


def _ensure_verified_authority(rep: Representative, staff) -> None:
    """A demo guardian (or estate) acts only as a real one would: document given, checked by staff."""
    if rep.authority_verified_at is not None:
        return
    if not rep.authority_document:
        document = SimpleUploadedFile("authority.pdf", DEMO_AUTHORITY_PDF, content_type="application/pdf")
        representatives.upload_authority_document(rep, upload=document, actor=staff)
    verification.verify_authority(rep, actor=staff)


def _ensure_verified(talent, staff, method: str, note: str, membership_status: str = "active") -> None:
    if talent.verified_at:
        return
    verification.verify_talent(
        talent, actor=staff, method=method, note=note, membership_status=membership_status
    )


def _ensure_photo(talent, seed: int, by) -> None:
    if ReferenceMedia.objects.filter(talent=talent).exists():
        return
    reference_media.add_reference_media(
        talent,
        upload=_photo(seed, talent.stage_name),
        kind=ReferenceMedia.Kind.PHOTO,
        caption="Headshot",
        actor=by,
    )


def seed(stdout) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    staff = users.get("staff@demo.example")
    agent = users.get("agent@demo.example")
    ana_user, kofi_user = users.get("talent@demo.example"), users.get("talent2@demo.example")
    if not (staff and agent and ana_user and kofi_user):
        stdout.write("talent demo: core demo users missing; run core first.")
        return

    ana, _ = _ensure_profile(
        ana_user,
        stage_name="Ana Reyes",
        legal_name="Ana María Reyes",
        email=ana_user.email,
        date_of_birth=date(1996, 4, 2),
        membership_number="U-104233",
        disciplines=["model"],
        representation="Northstar Talent",
        bio="Fashion and commercial model based in Los Angeles.",
        phone="+1 213 555 0142",
    )
    kofi, _ = _ensure_profile(
        kofi_user,
        stage_name="Kofi Mensah",
        legal_name="Kofi Mensah",
        email=kofi_user.email,
        date_of_birth=date(1990, 9, 12),
        membership_number="U-104234",
        disciplines=["actor", "voice_artist"],
        representation="Northstar Talent",
        bio="Screen actor and voice artist: audiobooks, animation, games.",
    )
    _ensure_rep(ana, agent, Representative.Kind.AGENT, ana_user, agency="Northstar Talent")
    _ensure_rep(kofi, agent, Representative.Kind.AGENT, kofi_user, agency="Northstar Talent")
    _ensure_photo(ana, 0, ana_user)
    # Self-registered: verified by staff like any member who signed up online, so their `allow` terms permit.
    _ensure_verified(ana, staff, VerificationMethod.IN_PERSON, "passport at the union office; roster 2026-11")
    _ensure_verified(kofi, staff, VerificationMethod.VIDEO_CALL, "driving licence; roster 2026-11")

    guardian, created = User.objects.get_or_create(
        email=GUARDIAN_EMAIL, defaults={"display_name": "Hana Tanaka (guardian)"}
    )
    if created:
        guardian.set_password(DEMO_PASSWORD)
        guardian.save()
        EmailAddress.objects.create(user=guardian, email=GUARDIAN_EMAIL, verified=True, primary=True)

    for i, (number, stage, legal, disciplines, dob, representation, extras) in enumerate(ROSTER, start=1):
        talent, _ = _ensure_profile(
            None,
            membership_number=number,
            stage_name=stage,
            legal_name=legal,
            email=f"member{number[-3:]}@members.demo.example",
            date_of_birth=dob,
            disciplines=disciplines,
            representation=representation,
        )
        if extras.get("photo"):
            _ensure_photo(talent, i, staff)
        if extras.get("minor"):
            rep = _ensure_rep(talent, guardian, Representative.Kind.GUARDIAN, staff)
            _ensure_verified_authority(rep, staff)
        if extras.get("verify"):
            _ensure_verified(talent, staff, VerificationMethod.VIDEO_CALL, "ID document checked")
        elif not extras.get("unverified"):
            # From the union's own roster; one member stays unverified to show what that looks like.
            _ensure_verified(talent, staff, VerificationMethod.UNION_RECORDS, "roster 2026-11")
        if extras.get("withdraw") and talent.status != TalentProfile.Status.WITHDRAWN:
            verification.withdraw_profile(
                talent, actor=staff, reason="Left the union and asked to be removed"
            )
    stdout.write(
        f"Talent: {TalentProfile.objects.count()} profiles; Ana Reyes is {ana.registry_id}, "
        f"Kofi Mensah is {kofi.registry_id}; {GUARDIAN_EMAIL} is the guardian of Emi Tanaka."
    )
