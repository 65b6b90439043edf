"""The case desk at volume: deadline badges, row titles, saved views, counts and workload that link to the
queue they count, and a bounded number of queries for the desk's pages."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from registry.cases import desk
from registry.cases.models import Case, Platform, Priority, SavedView, Status
from tests.cases.test_queue import make_cases
from tests.conftest import make_user
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/staff/cases/"


def row(html: str, case) -> str:
    """The <tr> of one case in the queue's HTML."""
    match = re.search(rf'<tr data-case="{case.pk}".*?</tr>', html, re.S)
    assert match, f"no row for {case.reference}"
    return match.group(0)


def queue_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


# --- badges and titles ------------------------------------------------------------------------------------


def test_countdown_words():
    now = timezone.now()
    assert desk.countdown(now + timedelta(hours=3, minutes=10), now) == "due in 3 h"
    assert desk.countdown(now + timedelta(days=2, hours=5), now) == "due in 2 d"
    assert desk.countdown(now + timedelta(minutes=20), now) == "due in 20 min"
    assert desk.countdown(now + timedelta(hours=47), now) == "due in 47 h"
    assert desk.countdown(now - timedelta(minutes=1), now) == ""
    assert desk.countdown(None, now) == ""


def test_queue_rows_show_overdue_and_countdown_badges(client, staff_user):
    now = timezone.now()
    late = Case.objects.create(summary="late", triage_due_at=now - timedelta(hours=2))
    soon = Case.objects.create(summary="soon", triage_due_at=now + timedelta(hours=3, minutes=5))
    later = Case.objects.create(summary="later", triage_due_at=now + timedelta(days=2, hours=1))
    awaiting = Case.objects.create(
        summary="awaiting",
        status=Status.AWAITING_RESPONSE,
        triage_due_at=now - timedelta(days=9),  # triaged long ago: not this deadline any more
        response_due_at=now + timedelta(days=5, hours=1),
    )
    triaged = Case.objects.create(
        summary="triaged", status=Status.INVESTIGATING, triage_due_at=now - timedelta(days=1)
    )
    client.force_login(staff_user)
    html = client.get(QUEUE).content.decode()
    assert 'data-badge="overdue">Overdue<' in row(html, late)
    assert "due in" not in row(html, late)
    assert ">due in 3 h<" in row(html, soon) and "Overdue" not in row(html, soon)
    assert ">due in 2 d<" in row(html, later)
    assert ">due in 5 d<" in row(html, awaiting) and "Overdue" not in row(html, awaiting)
    assert "Overdue" not in row(html, triaged) and "due in" not in row(html, triaged)


def test_row_titles_do_not_repeat_talent_and_platform(client, staff_user):
    talent = TalentFactory(stage_name="Ana Reyes")
    automatic = Case.objects.create(
        talent=talent,
        platform=Platform.INSTAGRAM,
        use="advertising",
        summary="Ana Reyes on Instagram by Shady Skincare",
    )
    written = Case.objects.create(talent=talent, platform=Platform.TIKTOK, summary="Deepfake ad, 3 reposts")
    bare = Case.objects.create(
        talent=talent, platform=Platform.WEBSITE, summary=f"Ana Reyes on {Platform.WEBSITE.label}"
    )
    client.force_login(staff_user)
    html = client.get(QUEUE).content.decode()
    assert 'title="Shady Skincare · Advertising"' in row(html, automatic)
    assert "Ana Reyes on Instagram" not in row(html, automatic)
    assert 'title="Deepfake ad, 3 reposts"' in row(html, written)
    assert 'title="No suspected user named"' in row(html, bare)


# --- saved views ------------------------------------------------------------------------------------------


def test_saved_views_create_list_apply_delete(client, staff_user):
    make_cases(8)
    client.force_login(staff_user)
    saved = client.post(
        "/staff/cases/views/",
        {"name": "Urgent open", "query": "status=open&priority=urgent&evil=1&sort=due"},
    )
    assert saved.status_code == 302
    view = SavedView.objects.get(user=staff_user)
    assert view.name == "Urgent open"
    assert view.query == "status=open&priority=urgent&sort=due"  # only the queue's filters are kept
    assert saved["Location"] == f"{QUEUE}?{view.query}"

    page = client.get(QUEUE).content.decode()
    assert f'href="{QUEUE}?status=open&amp;priority=urgent&amp;sort=due">Urgent open</a>' in page

    applied = client.get(f"{QUEUE}?{view.query}")
    cases = list(applied.context["page"])
    assert cases and all(c.priority == Priority.URGENT for c in cases)
    assert len(cases) == Case.objects.filter(priority=Priority.URGENT).count()

    # the same name again replaces the view
    client.post("/staff/cases/views/", {"name": "Urgent open", "query": "status=open&priority=high"})
    assert SavedView.objects.get(user=staff_user).query == "status=open&priority=high"

    # no name: refused, nothing saved
    client.post("/staff/cases/views/", {"name": "", "query": "status=closed"})
    assert SavedView.objects.count() == 1

    deleted = client.post(f"/staff/cases/views/{view.pk}/delete/")
    assert deleted.status_code == 302 and not SavedView.objects.exists()


def test_saved_views_are_only_their_owners(client, staff_user, supervisor_user):
    theirs = SavedView.objects.create(user=supervisor_user, name="Supervisor's secret view", query="status=")
    mine = SavedView.objects.create(user=staff_user, name="Mine", query="status=open")
    client.force_login(staff_user)
    page = client.get(QUEUE).content.decode()
    assert "Mine" in page and "Supervisor&#x27;s secret view" not in page and "secret view" not in page
    assert client.post(f"/staff/cases/views/{theirs.pk}/delete/").status_code == 404
    assert SavedView.objects.filter(pk=theirs.pk).exists()
    talent_user = make_user("talent@example.org", Role.TALENT)
    client.force_login(talent_user)
    assert client.post(f"/staff/cases/views/{mine.pk}/delete/").status_code == 403
    assert client.post("/staff/cases/views/", {"name": "x", "query": ""}).status_code == 403
    assert SavedView.objects.count() == 2


# --- counts, dashboard, workload ------------------------------------------------------------------------


@pytest.fixture
def desk_world(staff_user, supervisor_user):
    """Open cases of every kind: mine, others', unassigned, overdue, new today and last month, closed."""
    other = make_user("other@example.org", Role.STAFF, name="Other Staff")
    now = timezone.now()
    make_cases(6, assignee=staff_user)  # half of them overdue (triage due an hour ago)
    make_cases(4, assignee=other)
    make_cases(5)  # unassigned
    old = make_cases(3)
    Case.objects.filter(pk__in=[c.pk for c in old]).update(created_at=now - timedelta(days=30))
    closed = make_cases(2, assignee=staff_user)
    Case.objects.filter(pk__in=[c.pk for c in closed]).update(status=Status.RESOLVED, outcome="removed")
    return {"other": other}


def test_counts_each_link_to_the_queue_they_count(client, staff_user, desk_world):
    counts = {c["key"]: c for c in desk.desk_counts(staff_user)}
    assert counts["mine"]["count"] == 6
    assert counts["unassigned"]["count"] == 8
    assert counts["new_today"]["count"] == 17  # the three of last month are not new today
    assert (
        counts["overdue"]["count"]
        == Case.objects.filter(status=Status.NEW, triage_due_at__lt=timezone.now()).count()
    )
    client.force_login(staff_user)
    for c in counts.values():
        assert queue_count(client, c["url"]) == c["count"], c
    home = client.get("/staff/").content.decode()
    for c in counts.values():
        link = f'href="{c["url"].replace("&", "&amp;")}" id="count-{c["key"]}" data-count="{c["count"]}"'
        assert link in home
    dashboard = client.get("/staff/cases/dashboard/").content.decode()
    assert 'id="desk-counts"' in dashboard


def test_workload_per_assignee_links_to_their_queue(client, staff_user, desk_world):
    workload = desk.workload(staff_user)
    assert [(w["label"], w["count"]) for w in workload] == [
        ("Staff", 6),
        ("Other Staff", 4),
        ("Unassigned", 8),
    ]
    client.force_login(staff_user)
    for w in workload:
        assert queue_count(client, w["url"]) == w["count"], w
    page = client.get("/staff/cases/dashboard/").content.decode()
    other_url = f"{QUEUE}?status=open&amp;assignee={desk_world['other'].pk}"
    assert (
        f'<a class="bar-row bar-link" href="{other_url}" aria-label="4 open cases assigned to Other Staff"'
        in page
    )
    assert 'aria-label="8 open cases not assigned to anyone"' in page


def test_dashboard_figures_and_bars_link_to_the_filtered_queue(client, staff_user, desk_world):
    client.force_login(staff_user)
    stats = client.get("/staff/cases/dashboard/").context["stats"]
    assert queue_count(client, stats["open_url"]) == stats["open_total"] == 18
    assert queue_count(client, stats["overdue_url"]) == stats["overdue"]
    assert queue_count(client, stats["new_this_week_url"]) == stats["new_this_week"] == 17
    linked = 0
    for chart in ("by_status", "by_priority", "by_platform", "by_use"):
        for bar in stats[chart]:
            if bar["url"]:
                assert queue_count(client, bar["url"]) == bar["count"], (chart, bar)
                linked += 1
    assert linked >= 12


def test_weekly_bars_link_to_the_queue_of_their_week(client, staff_user, desk_world):
    """ "New cases per week": each bar a keyboard-reachable link named in words, to the queue of that week."""
    now = timezone.now()
    a_month_ago = timezone.localtime(now - timedelta(days=30)).date()
    client.force_login(staff_user)
    response = client.get("/staff/cases/dashboard/")
    weeks = response.context["stats"]["per_week"]
    assert len(weeks) == 12 and all(bar["url"] for bar in weeks)
    assert sum(bar["count"] for bar in weeks) == 20  # every case of the world was opened in these 12 weeks
    for bar in weeks:
        assert bar["url"] == f"{QUEUE}?status=&week={bar['key'].isoformat()}&sort=newest"
        assert queue_count(client, bar["url"]) == bar["count"], bar
    old_week = next(bar for bar in weeks if bar["key"] <= a_month_ago < bar["key"] + timedelta(days=7))
    assert old_week["count"] == 3
    assert old_week["name"] == f"3 new cases in the week of {old_week['key'].day} {old_week['key']:%b}"
    html = response.content.decode()
    assert f'href="{old_week["url"].replace("&", "&amp;")}" aria-label="{old_week["name"]}"' in html
    # following the link: the queue of that week only, and the filter shows which week
    queue = client.get(old_week["url"])
    opened = [timezone.localtime(c.created_at).date() for c in queue.context["page"]]
    assert len(opened) == 3
    assert all(old_week["key"] <= day < old_week["key"] + timedelta(days=7) for day in opened)
    assert f'value="{old_week["key"].isoformat()}"' in queue.content.decode()
    wednesday = (old_week["key"] + timedelta(days=2)).isoformat()  # any day of a week means that week
    assert queue_count(client, f"{QUEUE}?status=&week={wednesday}") == 3
    assert queue.context["form"].active_count == 3  # status (all), week, sort


def test_chart_bars_are_named_in_words(client, staff_user, desk_world):
    client.force_login(staff_user)
    stats = client.get("/staff/cases/dashboard/").context["stats"]
    names = {
        bar["name"] for chart in ("by_status", "by_priority", "by_platform", "by_use") for bar in stats[chart]
    }
    assert any(n.endswith("with status New") and n.startswith("18 open cases") for n in names), names
    assert all(" 1 cases" not in n and not n.startswith("1 cases") for n in names)


def test_queue_filters_fold_with_their_active_count(client, staff_user):
    client.force_login(staff_user)
    html = client.get(QUEUE).content.decode()
    assert '<details class="filters-fold" id="queue-filters-fold" open>' in html
    assert 'id="filters-active" data-active="0">(0 active)' in html
    html = client.get(
        f"{QUEUE}?status=open&priority=high&overdue=on&sort=priority&per_page=25"
    ).content.decode()
    assert 'data-active="2">(2 active)' in html
    bad = client.get(f"{QUEUE}?week=2026-13-40")
    assert bad.status_code == 200
    page = bad.content.decode()
    assert 'id="queue-filters-errors"' in page and 'href="#id_week"' in page


def test_desk_pages_query_counts_do_not_grow_with_cases(client, staff_user, supervisor_user):
    client.force_login(staff_user)
    urls = ("/staff/", "/staff/cases/dashboard/", QUEUE)
    for url in urls:
        client.get(url)  # warm caches
    make_cases(4, assignee=staff_user)
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        few[url] = len(ctx.captured_queries)
    others = [make_user(f"s{i}@example.org", Role.STAFF, name=f"S{i}") for i in range(4)]
    for person in others:
        make_cases(6, assignee=person)
    make_cases(10)
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert len(ctx.captured_queries) == few[url], (url, [q["sql"] for q in ctx.captured_queries])
    desk.desk_counts(staff_user)  # the permission cache of the user object is filled once
    with CaptureQueriesContext(connection) as ctx:
        desk.desk_counts(staff_user)
        desk.workload(staff_user)
    assert len(ctx.captured_queries) == 2  # one aggregate each
