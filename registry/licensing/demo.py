"""Demo license requests in every state and licenses (one active, one terminated, one expired). Idempotent.

Everything goes through the licensing services (so threads, certificates and emails are real), except the
expired license, which is recorded as a pre-existing paper license with a past period.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from registry.brands.models import Organization
from registry.licensing import licenses, requests
from registry.licensing.models import License, LicenseRequest
from registry.talent.models import TalentProfile


def _offer(use, modalities, territories, channels, start, days, fee, category=""):
    return {
        "use": use,
        "modalities": modalities,
        "territories": territories,
        "channels": channels,
        "valid_from": start.isoformat(),
        "valid_until": (start + timedelta(days=days)).isoformat(),
        "fee": {"amount": fee, "currency": "USD"},
        "product_category": category,
    }


def seed(stdout) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    orgs = {o.name: o for o in Organization.objects.filter(name__in=["Acme Apparel", "Nimbus Media"])}
    ana = TalentProfile.objects.filter(user__email="talent@demo.example").first()
    kofi = TalentProfile.objects.filter(user__email="talent2@demo.example").first()
    if len(orgs) < 2 or ana is None or kofi is None or "staff@demo.example" not in users:
        stdout.write("licensing demo: brands or talent demo data missing; skipped.")
        return
    acme, nimbus = orgs["Acme Apparel"], orgs["Nimbus Media"]
    brand, brand2 = users["brand@demo.example"], users["brand2@demo.example"]
    ana_user, kofi_user, staff = (
        users["talent@demo.example"],
        users["talent2@demo.example"],
        users["staff@demo.example"],
    )
    today = timezone.localdate()
    soon = today + timedelta(days=14)

    def ensure(org, user, talent, description, offer) -> tuple[LicenseRequest, bool]:
        existing = LicenseRequest.objects.filter(
            organization=org, talent=talent, description=description
        ).first()
        if existing:
            return existing, False
        created = requests.request_license(
            organization=org,
            actor=user,
            talent_registry_id=talent.registry_id,
            data={**offer, "description": description},
        )
        return created, True

    # Pending: waiting for Ana.
    ensure(
        acme,
        brand,
        ana,
        "Spring 2027 denim campaign: studio photos and a 15-second video of Ana wearing the Coastline jeans, "
        "for Acme's online shop and social channels in the US and Canada.",
        _offer(
            "advertising",
            ["image", "video"],
            ["US", "CA"],
            ["online", "social"],
            soon,
            120,
            "4000.00",
            "apparel",
        ),
    )
    # Pending replica request: only Ana in person may approve (her agent cannot).
    ensure(
        acme,
        brand,
        ana,
        "Virtual try-on: generate images of Ana's existing Acme digital replica wearing 40 catalogue items, "
        "shown on the product pages of acme-apparel.example in the US only.",
        _offer("replica_use", ["image"], ["US"], ["online"], soon, 180, "6500.00", "apparel"),
    )
    # Countered by Kofi: waiting for Nimbus.
    req, created = ensure(
        nimbus,
        brand2,
        kofi,
        "Narration of a six-part documentary podcast about West African jazz, distributed on Nimbus's "
        "podcast feed and streaming platforms in the UK and Ireland.",
        _offer("editorial", ["voice"], ["GB", "IE"], ["online", "broadcast"], soon, 365, "3000.00"),
    )
    if created:
        requests.counter(
            request_id=req.pk,
            actor=kofi_user,
            data={
                "fee": {"amount": "4200.00", "currency": "USD"},
                "valid_until": (soon + timedelta(days=180)).isoformat(),
            },
            message="Happy to do it for six months at this fee.",
        )
    # Approved → an active license.
    req, created = ensure(
        acme,
        brand,
        ana,
        "Holiday lookbook 2026: twelve studio photographs of Ana in Acme's winter collection for the printed "
        "catalogue and the online shop in the US.",
        _offer("advertising", ["image"], ["US"], ["print", "online"], today, 90, "2500.00", "apparel"),
    )
    if created:
        requests.approve(request_id=req.pk, actor=ana_user, message="Looking forward to it.")
    # Countered, then accepted by the brand → a license; then terminated by staff.
    req, created = ensure(
        nimbus,
        brand2,
        ana,
        "Behind-the-scenes video interview with Ana about sustainable fashion, for Nimbus Media's YouTube "
        "channel and social clips in the US and Canada.",
        _offer("editorial", ["video"], ["US", "CA"], ["online", "social"], today, 60, "1200.00"),
    )
    if created:
        requests.counter(
            request_id=req.pk, actor=ana_user, data={"fee": {"amount": "1800.00", "currency": "USD"}}
        )
        license = requests.accept(request_id=req.pk, actor=brand2, organization=nimbus)
        licenses.terminate(
            license_id=license.license_id,
            actor=staff,
            reason="Clips were published with AI-altered footage outside the licensed scope.",
        )
    # Declined.
    req, created = ensure(
        nimbus,
        brand2,
        kofi,
        "Alter Kofi's recorded narration so that the podcast trailer of 'West African Jazz' speaks three "
        "new lines, on Nimbus's podcast feed in the US and the UK.",
        _offer("digital_alteration", ["voice"], ["US", "GB"], ["online"], soon, 365, "1000.00"),
    )
    if created:
        requests.decline(
            request_id=req.pk, actor=kofi_user, message="I don't want my voice to say lines I never recorded."
        )
    # Withdrawn.
    req, created = ensure(
        acme,
        brand,
        kofi,
        "In-store screens: a 30-second video of Kofi presenting Acme's menswear line, shown in Acme's "
        "flagship stores in New York and Chicago.",
        _offer("advertising", ["video"], ["US"], ["out_of_home"], soon, 90, "3500.00", "apparel"),
    )
    if created:
        requests.withdraw(request_id=req.pk, actor=brand, organization=acme, message="Campaign cancelled.")
    # Expired: a license that ended last year (recorded from paper).
    if not License.objects.filter(
        organization=acme, talent=ana, document_ref="paper license 2025-014"
    ).exists():
        License.objects.create(
            talent=ana,
            organization=acme,
            use="advertising",
            modalities=["image"],
            territories=["US"],
            channels=["print"],
            product_category="apparel",
            valid_from=date(today.year - 1, 1, 1),
            valid_until=date(today.year - 1, 6, 30),
            fee_amount="1500.00",
            fee_currency="USD",
            description="Spring catalogue 2025: printed catalogue photographs of the Acme swimwear line.",
            document_ref="paper license 2025-014",
            approved_at=timezone.now() - timedelta(days=400),
        )
    counts = {s: LicenseRequest.objects.filter(status=s).count() for s in LicenseRequest.Status.values}
    stdout.write(
        "Demo license requests: "
        + ", ".join(f"{n} {s}" for s, n in counts.items())
        + f"; licenses: {License.objects.count()}."
    )
