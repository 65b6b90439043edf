"""Staff pages of the talent app under /staff/talent/ (MFA required: accounts.middleware)."""

from django.urls import path, re_path

from registry.talent import staff_views

app_name = "talent_staff"

REGISTRY_ID = r"(?P<registry_id>[Tt][Rr]-[0-9A-Za-z]{4}-[0-9A-Za-z]{4})"

urlpatterns = [
    path("", staff_views.member_list, name="list"),
    path("import/", staff_views.roster_import, name="import"),
    re_path(rf"^{REGISTRY_ID}/$", staff_views.member_detail, name="detail"),
    re_path(rf"^{REGISTRY_ID}/verify/$", staff_views.verify, name="verify"),
    re_path(rf"^{REGISTRY_ID}/death/$", staff_views.record_death, name="record-death"),
    re_path(rf"^{REGISTRY_ID}/withdraw/$", staff_views.withdraw, name="withdraw"),
    re_path(rf"^{REGISTRY_ID}/reinstate/$", staff_views.reinstate, name="reinstate"),
    re_path(rf"^{REGISTRY_ID}/representatives/$", staff_views.add_representative, name="add-representative"),
    re_path(
        rf"^{REGISTRY_ID}/representatives/(?P<pk>[0-9]+)/verify/$",
        staff_views.verify_authority,
        name="verify-authority",
    ),
    re_path(
        rf"^{REGISTRY_ID}/representatives/(?P<pk>[0-9]+)/revoke/$",
        staff_views.revoke_representative,
        name="revoke-representative",
    ),
]
