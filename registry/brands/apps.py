"""The brands app: organizations, members, invitations, API keys and the permission-check log."""

from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "registry.brands"
    label = "brands"

    def ready(self):
        from registry.brands import dashboard
        from registry.talent.sections import register_dashboard_section

        # "Talent see who checked them" (DESIGN.md §3): a section of the talent dashboard.
        register_dashboard_section(dashboard.TEMPLATE, context=dashboard.talent_checks, order=10)
