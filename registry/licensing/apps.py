from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "registry.licensing"
    label = "licensing"

    def ready(self):
        from registry.talent.sections import register_dashboard_section

        def talent_licensing(request, talent, acting):
            from registry.licensing.models import License, LicenseRequest

            return {
                "requests": list(
                    LicenseRequest.objects.filter(talent=talent)
                    .select_related("organization")
                    .order_by("-updated_at", "-pk")[:10]
                ),
                "licenses": list(
                    License.objects.filter(talent=talent)
                    .select_related("organization")
                    .order_by("-created_at")[:10]
                ),
            }

        register_dashboard_section("licensing/_talent_requests.html", context=talent_licensing, order=20)
