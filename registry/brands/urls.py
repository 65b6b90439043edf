"""Brand workspace pages under /brands/ (the check pages there are registry.checks.urls)."""

from django.urls import path

from registry.brands import views

app_name = "brands"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:pk>/remove/", views.remove_member, name="remove-member"),
    path("invitations/<str:token>/", views.accept_invitation, name="invitation"),
    path("keys/", views.create_key, name="create-key"),
    path("keys/created/", views.key_created, name="key-created"),
    path("keys/<int:pk>/revoke/", views.revoke_key, name="revoke-key"),
]
