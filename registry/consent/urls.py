"""Terms pages under /terms/: the talent's (or their representative's) history, drafts, signing, revocation;
the public TDM policy page per talent."""

from django.urls import path

from registry.consent import views

app_name = "consent"

urlpatterns = [
    path("", views.index, name="index"),
    path("policy/<str:registry_id>/", views.policy, name="policy"),
    path("<str:registry_id>/", views.history, name="history"),
    path("<str:registry_id>/versions/<int:number>/", views.version_detail, name="version"),
    path("<str:registry_id>/versions/<int:number>/receipt.pdf", views.receipt, name="receipt"),
    path("<str:registry_id>/diff/", views.diff, name="diff"),
    path("<str:registry_id>/draft/", views.draft_new, name="draft"),
    path("<str:registry_id>/drafts/<int:pk>/", views.review, name="review"),
    path("<str:registry_id>/drafts/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("<str:registry_id>/drafts/<int:pk>/discard/", views.draft_discard, name="draft_discard"),
    path("<str:registry_id>/revoke/", views.revoke, name="revoke"),
]
