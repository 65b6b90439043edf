"""The staff import page under /staff/terms/ (MFA required: accounts.middleware)."""

from django.urls import path

from registry.importer import views

app_name = "importer"

urlpatterns = [
    path("import/", views.staff_import, name="import"),
]
