from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "registry.brands"
    label = "brands"

    def ready(self):
        from registry.talent.sections import register_dashboard_section

        def talent_checks(request, talent, acting):
            from registry.brands.selectors import checks_about

            return {"checks": checks_about(talent, limit=10)}

        # "Talent see who checked them" (DESIGN.md §3): a section of the talent dashboard.
        register_dashboard_section("brands/_talent_checks.html", context=talent_checks, order=10)
