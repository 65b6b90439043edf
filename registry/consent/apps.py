from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "registry.consent"
    label = "consent"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.utils import timezone

        from registry.consent.dbguard import allow_flush
        from registry.consent.exports import public_headers
        from registry.consent.selectors import version_in_effect
        from registry.talent.sections import register_dashboard_section, register_profile_section

        connection_created.connect(allow_flush, dispatch_uid="consent-allow-flush")

        def terms_in_effect(request, talent, acting=None):
            return {"version": version_in_effect(talent)}

        # The talent's current terms: on their dashboard, below the profile; on their public page, with the
        # TDMRep <meta> tags in its head.
        register_dashboard_section(
            "consent/_dashboard_terms.html", context=terms_in_effect, slot="after_profile"
        )
        register_profile_section(
            "consent/_profile_terms.html",
            context=terms_in_effect,
            head_template="consent/_tdmrep_meta.html",
            headers=lambda request, talent, context: public_headers(
                talent, context["version"], timezone.localdate()
            ),
        )
