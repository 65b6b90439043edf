"""One visibility rule in every channel: an ordinary staff member walks every case URL (from the resolver),
every cases admin page (from the admin registry), the case-page widgets and every case email template (from
the templates folder) and never meets a confidential case it cannot see. A new URL, admin or email template
without an entry here fails the test."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import get_resolver, reverse

from registry.cases import edits, merge, messaging, notify, workflow
from registry.cases.models import Case, Evidence, FaceMatch, PendingNotification, SLABreach
from tests.cases.helpers import file_report, photo, resized_copy, upload
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

SECRET_TALENT = "Zephyrine Quillfeather"


@pytest.fixture
def world(talent, staff_user, supervisor_user, django_capture_on_commit_callbacks):
    """A confidential case (not assigned to staff_user, who watched it before) and a visible control case
    that links to it and whose evidence matches its evidence ("also seen in")."""
    cap = django_capture_on_commit_callbacks
    secret_talent = TalentFactory(stage_name=SECRET_TALENT)
    image = photo(7)
    report, _ = file_report(
        cap,
        urls=["https://example.com/secret-ad"],
        talent=secret_talent.registry_id,
        files=[upload(image, "a.jpg")],
        reporter_email="secret-reporter@example.org",
    )
    secret = Case.objects.get(pk=report.case_id)
    edits.set_watching(secret.pk, actor=staff_user, user_id=staff_user.pk, watching=True)
    with cap(execute=True):
        edits.update_case(
            secret.pk,
            actor=supervisor_user,
            version=secret.version,
            confidential=True,
            summary="CONFIDENTIAL-SUMMARY-MARKER",
        )
    report, _ = file_report(
        cap,
        urls=["https://example.com/control-ad"],
        talent=talent.registry_id,
        files=[upload(resized_copy(image), "b.jpg")],
    )
    control = Case.objects.get(pk=report.case_id)
    merge.link_cases(control.pk, secret.pk, actor=supervisor_user)
    secret.refresh_from_db()
    control.refresh_from_db()
    SLABreach.objects.create(
        case=secret, kind="triage", due_at=secret.created_at, detected_at=secret.created_at
    )
    SLABreach.objects.create(
        case=control, kind="triage", due_at=control.created_at, detected_at=control.created_at
    )
    assert secret.confidential and not staff_user.has_perm("cases.view_case", secret)
    assert staff_user.has_perm("cases.view_case", control)
    return {"secret": secret, "control": control}


def markers(case) -> list[str]:
    return [case.reference, "CONFIDENTIAL-SUMMARY-MARKER", SECRET_TALENT]


def assert_clean(response, case, where):
    text = response.content.decode(errors="replace")
    for marker in markers(case):
        assert marker not in text, f"{where} names the confidential case ({marker})"


# --- every case URL of the resolver ------------------------------------------------------------------

# name → (method, which object its <pk> is: "case", "url", "evidence", "notice", "template", "view", None)
STAFF_ROUTES = {
    "queue": ("get", None),
    "bulk-assign": ("post", None),
    "dashboard": ("get", None),
    "view-save": ("post", None),
    "view-delete": ("post", "view"),  # a saved view: the queue's filters, owned by one person
    "export": ("get", None),
    "templates": ("get", None),
    "template-new": ("get", None),
    "template-edit": ("get", "template"),
    "detail": ("get", "case"),
    "transition": ("post", "case"),
    "update": ("post", "case"),
    "watch": ("post", "case"),
    "note": ("post", "case"),
    "message": ("post", "case"),
    "link": ("post", "case"),
    "add-evidence": ("post", "case"),
    "notice": ("get", "case"),
    "face-talent": ("post", "case"),
    "face-crop": ("get", "face_match"),  # the two faces of a face match, side by side
    "url-status": ("post", "url"),
    "url-recheck": ("post", "url"),
    "notice-response": ("get", "notice"),
    "evidence-file": ("get", "evidence"),
    "reference-file": ("get", None),  # talent reference photos: not case data
    "notice-pdf": ("get", "notice"),
}
API_ROUTES = {
    "cases-list": ("get", None),
    "cases-detail": ("get", "case"),
    "cases-transition": ("post", "case"),
}


def route_names(namespace: str) -> set[str]:
    """Every route name under a namespace, includes without a namespace of their own walked too."""
    resolver = get_resolver()
    for part in namespace.split(":"):
        resolver = resolver.namespace_dict[part][1]
    names, todo = set(), list(resolver.url_patterns)
    while todo:
        p = todo.pop()
        if hasattr(p, "url_patterns") and not getattr(p, "namespace", None):
            todo.extend(p.url_patterns)
        elif getattr(p, "name", None):
            names.add(p.name)
    return names


def test_every_case_route_has_an_entry():
    assert route_names("cases_staff") == set(STAFF_ROUTES)
    api_cases = {n for n in route_names("v1") if n.startswith("cases")}
    assert api_cases == set(API_ROUTES)


def object_pk(kind: str, case: Case):
    return {
        "case": lambda: case.pk,
        "url": lambda: case.urls.first().pk,
        "evidence": lambda: Evidence.objects.filter(case=case).first().pk,
        "face_match": lambda: face_match_on(case).pk,
    }[kind]()


def face_match_on(case: Case) -> FaceMatch:
    """A face match on the case's first image, written directly (its talent never consented: none here)."""
    return FaceMatch.objects.create(
        evidence=Evidence.objects.filter(case=case).first(),
        face=0,
        box={"left": 10, "top": 10, "right": 60, "bottom": 60},
        talent=case.talent,
        distance=0.3,
        threshold=0.5,
        strong=True,
        model_name="test",
        model_version="test",
        created_at=case.created_at,
    )


def test_staff_routes_never_show_or_touch_the_confidential_case(client, world, staff_user):
    secret = world["secret"]
    client.force_login(staff_user)
    version = secret.version
    for name, (method, kind) in STAFF_ROUTES.items():
        if name == "reference-file":
            continue
        if kind in (None, "template", "view"):
            url = reverse(f"cases_staff:{name}", args=[1] if kind else [])
            response = client.get(url) if method == "get" else client.post(url, {"cases": [secret.pk]})
            assert_clean(response, secret, name)
            continue
        if kind == "notice":
            continue  # no notice on the confidential case; notice files: tests/cases/test_access.py
        extra = {"evidence-file": ["display"], "face-crop": ["evidence"]}.get(name, [])
        args = [object_pk(kind, secret), *extra]
        url = reverse(f"cases_staff:{name}", args=args)
        response = client.get(url) if method == "get" else client.post(url, {"body": "x", "version": version})
        assert response.status_code in (403, 404), (name, response.status_code)
        assert_clean(response, secret, name)
    secret.refresh_from_db()
    assert secret.version == version and not secret.notes.exists()
    # the bulk assignment above did not reach it either
    assert secret.assignee_id is None


def test_control_case_page_names_no_confidential_case(client, world, staff_user, supervisor_user):
    """Red before: the linked-cases list, the "also seen in" match and the timeline named it."""
    secret, control = world["secret"], world["control"]
    client.force_login(staff_user)
    response = client.get(reverse("cases_staff:detail", args=[control.pk]))
    assert response.status_code == 200
    assert_clean(response, secret, "control case page")
    assert "Linked as related to" not in response.content.decode()
    client.force_login(supervisor_user)  # the supervisor does see the link and the match
    text = client.get(reverse("cases_staff:detail", args=[control.pk])).content.decode()
    assert secret.reference in text


def test_api_cases_routes(api_client, world, staff_user):
    secret, control = world["secret"], world["control"]
    api_client.force_authenticate(staff_user)
    listing = api_client.get(reverse("v1:cases-list"), {"status": ""})
    assert listing.status_code == 200
    assert_clean(listing, secret, "API list")
    assert api_client.get(reverse("v1:cases-detail", args=[secret.pk])).status_code == 404
    detail = api_client.get(reverse("v1:cases-detail", args=[control.pk]))
    assert detail.status_code == 200
    assert_clean(detail, secret, "API detail of the control case")
    moved = api_client.post(
        reverse("v1:cases-transition", args=[secret.pk]), {"to": "triage", "version": secret.version}
    )
    assert moved.status_code == 404


def test_dashboard_counts_only_visible_cases(client, world, staff_user):
    client.force_login(staff_user)
    stats = client.get(reverse("cases_staff:dashboard")).context["stats"]
    assert stats["open_total"] == 1  # the control case only


# --- every cases admin page of the admin registry ---------------------------------------------------


def case_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label == "cases"]


def case_path(model) -> str | None:
    if model is Case:
        return ""
    fields = {f.name for f in model._meta.get_fields()}
    return "case" if "case" in fields else None


def test_every_case_admin_hides_the_confidential_case(client, world, staff_user):
    """Red before for SLABreach: its list and change page showed the confidential case."""
    secret, control = world["secret"], world["control"]
    client.force_login(staff_user)
    assert case_admins()
    for model, model_admin in case_admins():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(changelist)
        path = case_path(model)
        if path is None and response.status_code == 403:
            continue  # no case data (e.g. platform contacts), supervisors only
        assert response.status_code == 200, changelist
        assert_clean(response, secret, changelist)
        if path is None:
            assert not any(f.related_model is Case for f in opts.get_fields()), f"{model} names cases"
            continue
        hidden = model.objects.filter(**({"pk": secret.pk} if path == "" else {"case": secret}))
        shown = model.objects.filter(**({"pk": control.pk} if path == "" else {"case": control}))
        for obj in hidden:
            response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            assert response.status_code in (302, 403, 404), (model, response.status_code)
            assert_clean(response, secret, f"{model} change page")
        for obj in shown[:1]:
            response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            assert response.status_code == 200, model
            assert_clean(response, secret, f"{model} change page of the control case")


# --- every case email template ------------------------------------------------------------------------


def trigger_watcher_update(w, supervisor):
    workflow.transition(
        w["secret"].pk,
        to="dismissed",
        actor=supervisor,
        version=w["secret"].version,
        reason="SUPERVISOR-ONLY-REASON",
    )


def trigger_reporter_update(w, supervisor):
    messaging.message_reporter(w["secret"].pk, actor=supervisor, body="An update.")


def trigger_sla_breach(w, supervisor):
    notify.notify_breach(w["secret"], SLABreach.objects.filter(case=w["secret"]).first())


def trigger_talent_new_case(w, supervisor):
    notify.notify_talent_of_case(w["secret"])


def trigger_digest(w, supervisor):
    # held for staff_user while it could still see the case; the digest asks the rule again
    staff = w["staff"]
    PendingNotification.objects.create(
        case=w["secret"],
        email=staff.email,
        user=staff,
        audience="watcher",
        subject="held",
        body="held",
        created_at=w["secret"].created_at,
    )
    notify.send_digests()


EMAIL_TRIGGERS = {
    "watcher_update.txt": trigger_watcher_update,
    "reporter_update.txt": trigger_reporter_update,
    "sla_breach.txt": trigger_sla_breach,
    "talent_new_case.txt": trigger_talent_new_case,
    "digest.txt": trigger_digest,
}


def email_templates() -> set[str]:
    folder = Path(settings.BASE_DIR) / "templates" / "cases" / "email"
    return {p.name for p in folder.iterdir() if p.is_file()}


def test_every_case_email_template_has_an_entry():
    assert email_templates() == set(EMAIL_TRIGGERS)


@pytest.mark.parametrize("template", sorted(EMAIL_TRIGGERS))
def test_no_case_email_reaches_staff_without_access(
    template, world, staff_user, supervisor_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        EMAIL_TRIGGERS[template]({**world, "staff": staff_user}, supervisor_user)
    for message in mailoutbox:
        assert staff_user.email not in message.to + message.cc + message.bcc, template
        assert len(message.to) == 1 and not message.cc, template  # one message per recipient


def test_a_duplicate_merged_into_a_hidden_case_does_not_name_it(client, api_client, world, staff_user):
    """The control case merged into the confidential one: page and API say merged, never which case."""
    secret, control = world["secret"], world["control"]
    Case.objects.filter(pk=control.pk).update(duplicate_of=secret, status="merged")
    api_client.force_authenticate(staff_user)
    detail = api_client.get(reverse("v1:cases-detail", args=[control.pk]))
    assert detail.status_code == 200 and detail.json()["duplicate_of"] is None
    assert_clean(detail, secret, "API detail of a duplicate of the hidden case")
    client.force_login(staff_user)
    page = client.get(reverse("cases_staff:detail", args=[control.pk]))
    assert b"merged into a case you cannot see" in page.content
    assert_clean(page, secret, "page of a duplicate of the hidden case")
