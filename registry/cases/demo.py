"""Demo misuse cases (about 40, in every state) with evidence images drawn by Pillow. Idempotent.

Built through the same services as real cases (intake, enrichment, workflow, notices), with backdated clocks
so the dashboard has history. Some evidence is a resized copy of a demo talent's reference photo, so the
staff desk shows likely matches. Demo data is for local use only.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from registry.brands.models import Organization
from registry.cases import deadlines, edits, enrichment, intake, merge, messaging, notices, workflow
from registry.cases.models import Case, MisuseReport, NoticeTemplate, Status
from registry.cases.notice_defaults import DEFAULT_TEMPLATES
from registry.licensing.models import LicenseRequest
from registry.talent.models import TalentProfile

DEMO_IP = "192.0.2.44"  # TEST-NET-1: marks demo reports (and makes the seed idempotent)

PLATFORM_URLS = {
    "instagram": "https://www.instagram.com/p/{slug}/?utm_source=ig_web_copy_link&igshid=demo",
    "tiktok": "https://www.tiktok.com/@{brand}/video/{num}?is_from_webapp=1",
    "youtube": "https://youtu.be/{slug}?si=demo",
    "x": "https://x.com/{brand}/status/{num}?s=20",
    "facebook": "https://m.facebook.com/{brand}/posts/{num}?fbclid=demo",
    "website": "https://{brand}.example/products/{slug}?gclid=demo",
}
DESCRIPTIONS = [
    "A sponsored post uses an AI-generated version of her face to sell face cream.",
    "Deepfake video ad where he appears to endorse a crypto trading app.",
    "Cloned voice reading an ad for a betting site; he never recorded it.",
    "A clothing shop uses her catalogue photos, digitally altered, on product pages.",
    "An 'AI avatar' of the actor is offered as a virtual presenter for hire.",
    "Altered photo of the model used in a political campaign banner.",
    "A game uses a 3D replica of the performer as a playable character.",
    "Photos from a past shoot were used to train an image model advertised as 'trained on real models'.",
]
# (status to reach, count, use, sensitive)
PLAN = [
    (Status.NEW, 8),
    (Status.TRIAGE, 6),
    (Status.INVESTIGATING, 7),
    (Status.NOTICE_SENT, 4),
    (Status.AWAITING_RESPONSE, 3),
    (Status.RESOLVED, 6),
    (Status.DISMISSED, 3),
    (Status.ESCALATED, 3),
]
USES = ["advertising", "advertising", "replica_use", "digital_alteration", "ai_training", "", "advertising"]


def _evidence_image(seed: int, text: str) -> bytes:
    rnd = random.Random(seed)
    image = Image.new("RGB", (720, 540), tuple(rnd.randrange(40, 220) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        x, y = rnd.randrange(720), rnd.randrange(540)
        box = [x, y, x + rnd.randrange(60, 300), y + rnd.randrange(40, 200)]
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(
            box, fill=tuple(rnd.randrange(256) for _ in range(3))
        )
    draw.rectangle([0, 480, 720, 540], fill=(20, 20, 20))
    draw.text((16, 500), f"SPONSORED · {text}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _copy_of(data: bytes, scale=0.6) -> bytes:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image = image.resize((int(image.width * scale), int(image.height * scale)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=60)
    return out.getvalue()


def _reference_bytes(talent) -> bytes | None:
    media = talent.reference_media.filter(kind="photo").first() if talent else None
    if media is None:
        return None
    try:
        with media.original.open("rb") as f:
            return f.read()
    except (FileNotFoundError, OSError):
        return None


def _path(status: str) -> list[str]:
    return {
        Status.NEW: [],
        Status.TRIAGE: ["triage"],
        Status.INVESTIGATING: ["triage", "investigating"],
        Status.NOTICE_SENT: ["triage", "investigating", "notice"],
        Status.AWAITING_RESPONSE: ["triage", "investigating", "notice", "awaiting_response"],
        Status.RESOLVED: ["triage", "investigating", "notice", "resolved"],
        Status.DISMISSED: ["triage", "dismissed"],
        Status.ESCALATED: ["triage", "investigating", "escalated"],
    }[status]


def seed(stdout) -> None:
    if MisuseReport.objects.filter(submitted_ip=DEMO_IP).exists():
        stdout.write(f"Cases: demo cases already present ({Case.objects.count()} cases).")
        return
    staff = User.objects.filter(email="staff@demo.example").first()
    supervisor = User.objects.filter(email="supervisor@demo.example").first()
    if staff is None or supervisor is None:
        stdout.write("cases demo: core demo users missing; run core first.")
        return
    talents = list(TalentProfile.objects.filter(status="active").order_by("pk")[:8])
    ana = TalentProfile.objects.filter(user__email="talent@demo.example").first()
    orgs = list(Organization.objects.order_by("pk")[:2])
    free_orgs = ["Glowup Skincare Ltd", "QuickCoin Trading", "PixelForge Games", "TrendThreads Shop"]
    reference = _reference_bytes(ana)
    # Normally seeded by migration 0002; a flushed database (e.g. a transactional test) lacks them.
    for template in DEFAULT_TEMPLATES:
        NoticeTemplate.objects.get_or_create(name=template["name"], defaults=template)
    takedown = NoticeTemplate.objects.filter(kind="takedown", is_active=True).first()
    cease = NoticeTemplate.objects.filter(kind="cease_and_desist", is_active=True).first()
    rnd = random.Random(2026)
    now = timezone.now()
    created: list[Case] = []
    i = 0
    for status, count in PLAN:
        for _ in range(count):
            i += 1
            opened = now - timedelta(days=rnd.randrange(1, 84), hours=rnd.randrange(24))
            if status == Status.NEW and i <= 3:
                opened = now - timedelta(hours=rnd.randrange(1, 10))  # fresh
            talent = (ana if i % 3 == 0 and ana else talents[i % len(talents)]) if talents else None
            org_name = orgs[i % len(orgs)].name if orgs and i % 2 == 0 else free_orgs[i % len(free_orgs)]
            platform = list(PLATFORM_URLS)[i % len(PLATFORM_URLS)]
            url = PLATFORM_URLS[platform].format(
                slug=f"Dm{i:03d}x", brand=org_name.split()[0].lower(), num=700000 + i
            )
            images = [_evidence_image(1000 + i, org_name)]
            if reference and talent == ana and i % 2 == 1:
                images.append(_copy_of(reference))
            files = [
                SimpleUploadedFile(f"screenshot-{n}.jpg", data, "image/jpeg") for n, data in enumerate(images)
            ]
            sensitive = i in (5, 23)
            data = intake.ReportInput(
                description=DESCRIPTIONS[i % len(DESCRIPTIONS)],
                relationship=["fan", "self", "representative", "brand", "union"][i % 5],
                urls=[url] + ([f"https://mirror{i}.example/repost"] if i % 7 == 0 else []),
                seen_on=(opened - timedelta(days=rnd.randrange(0, 5))).date(),
                talent=talent.registry_id if talent else "Unknown model",
                organization=org_name,
                use=USES[i % len(USES)],
                territory=["US", "US", "GB", "CA", "DE"][i % 5],
                sensitive=sensitive,
            )
            report, _ = intake.file_report(data, files, ip=DEMO_IP, now=opened)
            MisuseReport.objects.filter(pk=report.pk).update(created_at=opened)
            enrichment.enrich_report(report.pk, now=opened)
            case = Case.objects.get(reports=report)
            created.append(case)
            _walk(case, status, staff, supervisor, opened, takedown, cease, rnd, i)

    # A further report of the same content (tracking parameters differ) joins an open case.
    target = next((c for c in created if c.status == Status.INVESTIGATING), None)
    if target is not None:
        first_url = target.urls.first()
        report, _ = intake.file_report(
            intake.ReportInput(
                description="Same ad, seen again today in my feed.",
                relationship="fan",
                urls=[first_url.url.split("?")[0] + "?utm_campaign=retarget&fbclid=again"],
            ),
            [],
            ip=DEMO_IP,
        )
        enrichment.enrich_report(report.pk)
    # A duplicate merged into its primary, and two related cases.
    open_cases = [c for c in created if c.status in (Status.NEW, Status.TRIAGE)]
    if len(open_cases) >= 3:
        dup, primary, other = open_cases[-1], open_cases[-2], open_cases[-3]
        dup.refresh_from_db()
        merge.merge_cases(dup.pk, primary.pk, actor=supervisor, version=dup.version)
        merge.link_cases(primary.pk, other.pk, actor=staff)
    # A licensed outcome, when the licensing demo has a request for a talent with a case.
    request = LicenseRequest.objects.filter(talent__cases__status=Status.INVESTIGATING).first()
    if request is not None:
        case = Case.objects.filter(talent=request.talent, status=Status.INVESTIGATING).first()
        workflow.transition(
            case.pk,
            to=Status.RESOLVED,
            actor=staff,
            version=case.version,
            outcome="licensed",
            outcome_note="The brand took a license for the campaign.",
            license_request=request,
        )
    breaches = deadlines.flag_overdue()
    stdout.write(
        f"Cases: {Case.objects.count()} demo cases in every state ({breaches} overdue flagged); "
        "the staff desk is at /staff/cases/."
    )


def _walk(case, status, staff, supervisor, opened, takedown, cease, rnd, i) -> None:
    at = opened
    if i % 4 != 1:
        case = edits.update_case(case.pk, actor=supervisor, version=case.version, assignee=staff.pk, now=at)
    for step in _path(status):
        at += timedelta(hours=rnd.randrange(2, 40))
        at = min(at, timezone.now())
        case.refresh_from_db()
        if step == "notice":
            template = takedown if i % 2 else cease
            if template is None:
                continue
            recipient = (
                ("Platform trust & safety", "legal@platform.example")
                if i % 2
                else (
                    "Legal department",
                    "legal@brand.example",
                )
            )
            fields = {
                "template_id": template.pk,
                "recipient_name": recipient[0],
                "recipient_email": recipient[1],
            }
            draft = notices.draft_notice(case, actor=staff, now=at, **fields)
            notices.send_notice(
                case.pk, actor=staff, version=case.version, confirmation=draft.confirmation, now=at, **fields
            )
            continue
        actor = supervisor if step in ("dismissed", "escalated") else staff
        outcome = ["removed", "removed", "permitted", "no_violation", "withdrawn", "removed"][i % 6]
        workflow.transition(
            case.pk,
            to=step,
            actor=actor,
            version=case.version,
            reason={
                "dismissed": "Not a likeness of a registry member.",
                "escalated": "Repeat infringer; referred to the union's counsel.",
            }.get(step, ""),
            outcome=outcome if step == "resolved" else "",
            outcome_note="Confirmed by re-checking the URLs." if step == "resolved" else "",
            now=at,
        )
        if step == "investigating" and i % 3 == 0:
            messaging.add_note(
                case.pk,
                actor=staff,
                body="Asked the talent whether they ever signed with this brand.",
                now=at,
            )
        if step == "triage" and i % 4 == 0:
            case.refresh_from_db()
            messaging.message_reporter(
                case.pk, actor=staff, body="Thank you; we are reviewing the content.", now=at
            )
