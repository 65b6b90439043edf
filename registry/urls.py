"""Root URLs: site pages per app, allauth, the staff admin, the API and health."""

from django.contrib import admin
from django.urls import include, path

from registry.core import views as core_views

urlpatterns = [
    path("", include("registry.site.urls")),
    path("accounts/", include("accounts.settings_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("registry.api.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path(".well-known/", include("registry.consent.wellknown_urls")),
    path(".well-known/", include("registry.licensing.wellknown_urls")),
    path("talent/", include("registry.privacy.urls")),
    path("talent/", include("registry.talent.urls")),
    path("terms/", include("registry.consent.urls")),
    path("brands/", include("registry.checks.urls")),
    path("brands/", include("registry.brands.urls")),
    path("licenses/", include("registry.licensing.urls")),
    path("cases/", include("registry.cases.urls")),
    path("likeness/", include("registry.likeness.urls")),
    path("staff/users/", include("accounts.staff_urls")),
    path("staff/talent/", include("registry.talent.staff_urls")),
    path("staff/terms/", include("registry.importer.urls")),
    path("staff/terms/", include("registry.consent.staff_urls")),
    path("staff/brands/", include("registry.brands.staff_urls")),
    path("staff/licenses/", include("registry.licensing.staff_urls")),
    path("staff/cases/", include("registry.cases.staff_urls")),
]

handler400 = "registry.core.views.bad_request"
handler403 = "registry.core.views.permission_denied"
handler404 = "registry.core.views.page_not_found"
handler500 = "registry.core.views.server_error"
