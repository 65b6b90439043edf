"""Staff pages of the consent app under /staff/terms/ (MFA required: accounts.middleware)."""

from django.urls import path

from registry.consent import views

app_name = "consent_staff"

urlpatterns = [
    path("import/", views.staff_import, name="import"),
]
