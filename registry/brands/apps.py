"""The brands app: organizations, members, invitations, API keys and the permission-check log."""

from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "registry.brands"
    label = "brands"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from registry.brands import dashboard, services
        from registry.brands.models import ApiKey, Organization
        from registry.talent.sections import register_dashboard_section

        # "Talent see who checked them" (product.md §3): a section of the talent dashboard.
        register_dashboard_section(dashboard.TEMPLATE, context=dashboard.talent_checks, order=10)

        # A cached API key never outlives a change of its row (revoke, rotate, delete, an admin edit).
        def forget(sender, instance, **kwargs):
            services.forget_api_key(instance)

        post_save.connect(forget, sender=ApiKey, dispatch_uid="brands.forget_api_key.save", weak=False)
        post_delete.connect(forget, sender=ApiKey, dispatch_uid="brands.forget_api_key.delete", weak=False)

        # A cached key carries its organization (name, verification): a change of it drops its keys too.
        def forget_keys_of(sender, instance, **kwargs):
            for api_key in ApiKey.objects.filter(organization=instance).only("pk", "prefix"):
                services.forget_api_key(api_key)

        post_save.connect(
            forget_keys_of, sender=Organization, dispatch_uid="brands.forget_org_keys", weak=False
        )
