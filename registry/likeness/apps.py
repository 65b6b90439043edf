from django.apps import AppConfig


class LikenessConfig(AppConfig):
    name = "registry.likeness"
    label = "likeness"
    verbose_name = "Likeness matching"

    def ready(self):
        from django.db.models.signals import post_save

        from registry.likeness import selectors
        from registry.likeness.descriptors import on_reference_media_saved
        from registry.talent.models import ReferenceMedia
        from registry.talent.sections import register_dashboard_section, register_staff_section

        # A reference photo uploaded while consent is in force gets its descriptor (the talent app, below
        # this one, knows nothing of it).
        post_save.connect(
            on_reference_media_saved, sender=ReferenceMedia, dispatch_uid="likeness-reference-media-saved"
        )

        def dashboard_card(request, talent, acting):
            if acting not in ("talent", "guardian", "estate", "representative"):
                return None
            return {
                "biometric_consent": selectors.consent_in_force(talent),
                "may_check": selectors.can_self_check(request.user, talent),
            }

        register_dashboard_section(
            "likeness/_dashboard_card.html", context=dashboard_card, order=60, slot="after_profile"
        )
        register_staff_section(
            "likeness/_staff_line.html",
            context=lambda talent: {"biometric_consent": selectors.consent_in_force(talent)},
        )
