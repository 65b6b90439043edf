from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "registry.checks"
    label = "checks"

    def ready(self):
        from registry.checks import changes, invalidation
        from registry.talent.sections import register_profile_section

        # A signed-in brand member reading a talent's public page can check a use or ask for a license there.
        def brand_actions(request, talent):
            return {} if request.user.has_perm("brands.use_workspace") else None

        register_profile_section("checks/_profile_brand_actions.html", context=brand_actions, order=60)

        # The change feed records signed terms and license facts in the transaction that writes them.
        changes.connect()

        # Cached check facts are replaced whenever a profile, signed version or license is saved or deleted.
        invalidation.connect()
