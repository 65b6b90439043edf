"""Privacy pages under /talent/ (included before registry.talent.urls; same paths as always)."""

from django.urls import path

from registry.privacy import views

# Importing talent's URLconf registers the <registry_id:> converter these paths use.
from registry.talent import urls as _talent_urls  # noqa: F401

app_name = "privacy"

urlpatterns = [
    path("me/data.json", views.data_export, name="data-export"),
    path("me/close/", views.close, name="close"),
    path("manage/<registry_id:registry_id>/data.json", views.data_export, name="manage-data-export"),
    path("manage/<registry_id:registry_id>/close/", views.close, name="manage-close"),
]
