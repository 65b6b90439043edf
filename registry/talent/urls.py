"""Talent pages under /talent/: the public registry, the talent dashboard, profile, media, representatives.

The privacy pages (me/data.json, me/close/, …) are in registry.privacy.urls, included before these."""

from django.urls import path, re_path, register_converter

from registry.talent import views
from registry.talent.registry_ids import canonical_registry_id


class RegistryIdConverter:
    """A registry ID as Crockford decoding reads it (any case, O for 0, I/L for 1, hyphens optional); views
    get the canonical TR-XXXX-XXXX."""

    regex = r"[Tt][Rr]-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}"

    def to_python(self, value: str) -> str:
        canonical = canonical_registry_id(value)
        if canonical is None:
            raise ValueError("not a registry ID")  # Django answers 404 for this path
        return canonical

    def to_url(self, value: str) -> str:
        return value


register_converter(RegistryIdConverter, "registry_id")

app_name = "talent"

urlpatterns = [
    path("", views.search, name="search"),
    path("me/", views.me, name="me"),
    path("me/create/", views.create, name="create"),
    path("me/edit/", views.edit, name="edit"),
    path("me/representatives/", views.add_representative, name="add-representative"),
    path("me/media/", views.upload_media, name="upload-media"),
    path("manage/<registry_id:registry_id>/", views.manage, name="manage"),
    path("manage/<registry_id:registry_id>/edit/", views.edit, name="manage-edit"),
    path(
        "manage/<registry_id:registry_id>/representatives/",
        views.add_representative,
        name="manage-add-representative",
    ),
    path("manage/<registry_id:registry_id>/media/", views.upload_media, name="manage-upload-media"),
    path("me/confirm-terms/", views.confirm_coming_of_age, name="confirm-coming-of-age"),
    path("representatives/<int:pk>/revoke/", views.revoke_representative, name="revoke-representative"),
    path(
        "representatives/<int:pk>/document/",
        views.authority_document,
        name="authority-document",
    ),
    path("media/<int:pk>/delete/", views.delete_media, name="delete-media"),
    re_path(
        r"^media/(?P<pk>[0-9]+)/(?P<variant>thumbnail|display|original)/$", views.media_file, name="media"
    ),
    path("<registry_id:registry_id>/", views.public_profile, name="profile"),
]
