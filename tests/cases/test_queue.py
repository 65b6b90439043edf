"""The staff queue (filters, sort, search, bulk assign, fixed query count), dashboard and CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from registry.cases import edits, evidence, messaging
from registry.cases.models import Case, Evidence, MisuseReport, Platform, Priority, Status, TimelineEvent
from registry.core.csvexport import csv_safe
from tests.cases.helpers import file_report
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def make_cases(n, **fields):
    """Cases straight from the models (fast): n cases with a URL and one evidence row each."""
    from django.core.files.base import ContentFile

    now = timezone.now()
    cases = []
    for i in range(n):
        case = Case.objects.create(
            summary=f"Case {i}",
            platform=[Platform.INSTAGRAM, Platform.TIKTOK, Platform.WEBSITE][i % 3],
            priority=[Priority.HIGH, Priority.NORMAL, Priority.LOW, Priority.URGENT][i % 4],
            use=["advertising", "ai_training", ""][i % 3],
            triage_due_at=now + timedelta(hours=1 if i % 2 else -1),
            **fields,
        )
        case.urls.create(url=f"https://example.com/{i}", normalized_url=f"https://example.com/{i}")
        evidence = Evidence(
            case=case, kind="pdf", mime="application/pdf", size=5, sha256=f"{i:064d}", uploaded_at=now
        )
        evidence.original.save(f"e{i}.pdf", ContentFile(b"%PDF-"), save=False)
        evidence.save()
        cases.append(case)
    return cases


def test_queue_query_count_does_not_grow_with_page_size(client, staff_user, django_assert_max_num_queries):
    make_cases(110)
    client.force_login(staff_user)
    client.get("/staff/cases/")  # warm caches (sessions, content types)
    counts = {}
    for per_page in (25, 100):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/staff/cases/?status=open&per_page={per_page}")
        assert response.status_code == 200
        assert len(response.context["page"]) == per_page
        counts[per_page] = len(ctx.captured_queries)
    assert counts[25] == counts[100], counts
    with django_assert_max_num_queries(counts[25]):
        client.get("/staff/cases/?status=open&per_page=100&sort=due")


def test_queue_filters_sort_search_and_my_cases(client, staff_user):
    cases = make_cases(12)
    mine = cases[0]
    edits.update_case(mine.pk, actor=staff_user, version=mine.version, assignee=staff_user.pk)
    Case.objects.filter(pk=cases[1].pk).update(status=Status.RESOLVED, outcome="removed")
    client.force_login(staff_user)

    def ids(query):
        return [c.pk for c in client.get(f"/staff/cases/?{query}").context["page"]]

    assert cases[1].pk not in ids("")  # default view: open cases
    assert ids("status=resolved") == [cases[1].pk]
    assert ids("assignee=me&status=open") == [mine.pk]
    assert set(ids("platform=tiktok&status=")) == {c.pk for c in cases if c.platform == "tiktok"}
    assert set(ids("use=ai_training&status=")) == {c.pk for c in cases if c.use == "ai_training"}
    assert set(ids("priority=urgent&status=")) == {c.pk for c in cases if c.priority == "urgent"}
    overdue = {c.pk for c in cases if c.triage_due_at < timezone.now() and c.pk != cases[1].pk}
    assert set(ids("overdue=on")) == overdue
    assert ids("q=Case 7&status=") == [cases[7].pk]
    assert ids("q=example.com/5&status=") == [cases[5].pk]
    assert ids(f"q=C-{cases[3].pk:05d}&status=") == [cases[3].pk]
    ranks = [Case.objects.get(pk=pk).priority for pk in ids("sort=priority&per_page=100")]
    order = ["urgent", "high", "normal", "low"]
    assert ranks == sorted(ranks, key=order.index)
    assert ids("sort=newest&status=")[0] == cases[-1].pk and ids("sort=oldest&status=")[0] == cases[0].pk
    # htmx asks for the table only.
    partial = client.get("/staff/cases/?status=open", HTTP_HX_REQUEST="true")
    assert partial.templates[0].name == "cases/staff/_queue_table.html"
    assert "<h1>" not in partial.content.decode()


def test_bulk_assign(client, staff_user):
    cases = make_cases(3)
    colleague = make_user("colleague@example.org", "staff", mfa=True)
    client.force_login(staff_user)
    response = client.post(
        "/staff/cases/assign/",
        {"cases": [cases[0].pk, cases[2].pk], "assignee": colleague.pk, "query": "status=open"},
    )
    assert response.status_code == 302 and response.url.endswith("?status=open")
    assert {c.pk for c in Case.objects.filter(assignee=colleague)} == {cases[0].pk, cases[2].pk}
    assert TimelineEvent.objects.filter(kind="assigned", actor=staff_user).count() == 2
    client.post("/staff/cases/assign/", {"cases": [cases[0].pk], "assignee": "none"})
    assert Case.objects.get(pk=cases[0].pk).assignee is None


def test_case_page_query_count_is_fixed(
    client, staff_user, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from tests.cases.helpers import photo, upload

    report, _ = file_report(
        django_capture_on_commit_callbacks,
        urls=["https://a.example/1"],
        files=[upload(photo(i)) for i in range(2)],
    )
    case = report.case
    client.force_login(staff_user)
    client.get(f"/staff/cases/{case.pk}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(f"/staff/cases/{case.pk}/")
    for i in range(5):
        messaging.add_note(case.pk, actor=staff_user, body=f"note {i}")
        messaging.message_reporter(case.pk, actor=staff_user, body=f"message {i}")
    evidence.add_evidence(case.pk, actor=staff_user, files=[upload(photo(10 + i)) for i in range(3)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/staff/cases/{case.pk}/")


def test_dashboard_charts_and_medians(client, staff_user, supervisor_user):
    cases = make_cases(6)
    t0 = timezone.now() - timedelta(days=3)
    for i, case in enumerate(cases[:4]):
        Case.objects.filter(pk=case.pk).update(created_at=t0, triaged_at=t0 + timedelta(hours=2 * (i + 1)))
    Case.objects.filter(pk=cases[0].pk).update(
        status=Status.RESOLVED, outcome="removed", closed_at=t0 + timedelta(hours=48)
    )
    client.force_login(staff_user)
    response = client.get("/staff/cases/dashboard/")
    stats = response.context["stats"]
    assert stats["open_total"] == 5 and stats["new_this_week"] == 6
    assert stats["median_triage_hours"] == 5.0  # 2, 4, 6, 8 hours
    assert stats["median_resolution_hours"] == 48.0
    by_status = {b["key"]: b["count"] for b in stats["by_status"]}
    assert by_status["new"] == 5 and "resolved" not in by_status
    assert sum(b["count"] for b in stats["per_week"]) == 6
    assert {b["key"] for b in stats["by_platform"]} == {"instagram", "tiktok", "website"}
    html = response.content.decode()
    assert "<svg" in html and "style=" not in html and "<script>" not in html
    assert "export-csv" not in html  # staff: no export
    client.force_login(supervisor_user)
    assert "export-csv" in client.get("/staff/cases/dashboard/").content.decode()


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_cannot_start_a_formula(value):
    assert csv_safe(value) == "'" + value
    assert csv_safe("plain text") == "plain text"


def test_csv_export_is_formula_safe(client, supervisor_user, django_capture_on_commit_callbacks):
    file_report(
        django_capture_on_commit_callbacks,
        urls=["https://x.example/1"],
        talent='=HYPERLINK("http://evil.example","click")',
        organization="@SUM(1+1)",
    )
    client.force_login(supervisor_user)
    response = client.get("/staff/cases/export.csv?status=")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["Talent"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[0]["Suspected user"] == "'@SUM(1+1)"
    assert rows[0]["URLs"] == "https://x.example/1"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())
    assert MisuseReport.objects.count() == 1


def test_api_list_filters_and_pagination(api_client, staff_user):
    make_cases(30)
    api_client.force_authenticate(staff_user)
    body = api_client.get("/api/v1/cases/?page_size=10&platform=tiktok").json()
    assert body["count"] == 10 and len(body["results"]) == 10
    assert all(c["platform"] == "tiktok" for c in body["results"])
    assert api_client.get("/api/v1/cases/?priority=extreme").json()["code"] == "invalid_query"
    workflow_case = Case.objects.first()
    body = api_client.get(f"/api/v1/cases/{workflow_case.pk}/").json()
    assert body["reference"] == workflow_case.reference and body["urls"][0]["url"].startswith(
        "https://example.com/"
    )
