"""Staff pages of the consent app under /staff/terms/ (MFA required: accounts.middleware)."""

app_name = "consent_staff"

# The staff import page moved to registry.importer (included before this module at the same prefix).
urlpatterns: list = []
