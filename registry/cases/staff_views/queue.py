"""The staff queue (filter, search, bulk assignment), the dashboard and the CSV export."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required, staff_required
from registry.cases import desk, edits, selectors
from registry.cases.errors import CaseError
from registry.cases.forms import BulkAssignForm, QueueFilterForm, SavedViewForm, staff_choices
from registry.cases.models import SavedView
from registry.cases.staff_views.case import case_url
from registry.core.audit import record_access
from registry.core.csvexport import stream_rows
from registry.core.pagination import BoundedPaginator


@staff_required
def queue(request):
    staff = staff_choices()
    form = QueueFilterForm(request.GET or None, staff=staff, initial={"status": "open"})
    filters = form.filters()
    per_page = 25
    if form.is_bound and form.is_valid():
        per_page = form.cleaned_data.get("per_page") or 25
    now = timezone.now()
    number = request.GET.get("page")
    paginator = BoundedPaginator(selectors.queue(request.user, filters, now=now), per_page, page_hint=number)
    page = paginator.get_page(number)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "form": form,
        "page": page,
        "now": now,
        "staff": staff,
        "query": urlencode(query),
        "bulk_form": BulkAssignForm(staff=staff, auto_id="bulk_%s"),
        "saved_views": SavedView.objects.filter(user=request.user).only("pk", "name", "query"),
        "save_form": SavedViewForm(initial={"query": urlencode(query)}, auto_id="view_%s"),
    }
    template = (
        "cases/staff/_queue_table.html" if getattr(request, "htmx", False) else "cases/staff/queue.html"
    )
    return render(request, template, context)


@staff_required
@require_POST
def bulk_assign(request):
    ids = [int(i) for i in request.POST.getlist("cases") if i.isdigit()]
    form = BulkAssignForm(request.POST, staff=staff_choices(), case_ids=ids)
    back = reverse("cases_staff:queue") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    if len(ids) == 1 and request.POST.get("back") == "case":  # "Assign to me" on the case page
        back = case_url(ids[0])
    if not ids:
        messages.error(request, "Select at least one case to assign.")
        return redirect(back)
    if not form.is_valid():
        messages.error(request, "Choose who to assign the selected cases to.")
        return redirect(back)
    assignee = form.cleaned_data["assignee"]
    try:
        changed = edits.bulk_assign(
            form.cleaned_data["cases"],
            assignee_id=None if assignee == "none" else int(assignee),
            actor=request.user,
        )
    except CaseError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{changed} case(s) reassigned.")
    return redirect(back)


def clean_query(query: str) -> str:
    """Only the queue's own filters, re-encoded (a saved view never carries anything else)."""
    data = QueryDict(query or "")
    keys = [k for k in QueueFilterForm.base_fields if k in data]
    return urlencode({k: data.get(k, "")[:200] for k in keys})


@staff_required
@require_POST
def save_view(request):
    """Save the queue's current filters under a name (the same name again replaces that view)."""
    form = SavedViewForm(request.POST)
    query = clean_query(request.POST.get("query", ""))
    if not form.is_valid():
        messages.error(request, "Give the view a name (up to 60 characters).")
    else:
        SavedView.objects.update_or_create(
            user=request.user, name=form.cleaned_data["name"].strip(), defaults={"query": query}
        )
        messages.success(request, f"View “{form.cleaned_data['name'].strip()}” saved.")
    return redirect(reverse("cases_staff:queue") + (f"?{query}" if query else ""))


@staff_required
@require_POST
def delete_view(request, pk: int):
    view = get_object_or_404(SavedView, pk=pk, user=request.user)  # someone else's: 404
    view.delete()
    messages.success(request, f"View “{view.name}” deleted.")
    return redirect("cases_staff:queue")


@staff_required
def dashboard(request):
    now = timezone.now()
    return render(
        request,
        "cases/staff/dashboard.html",
        {
            "stats": desk.dashboard_stats(request.user, now=now),
            "counts": desk.desk_counts(request.user, now=now),
        },
    )


@permission_required("cases.export_cases", message="Supervisors only.")
def export_csv(request):
    form = QueueFilterForm(request.GET or None, staff=staff_choices())
    filters = form.filters()
    record_access(
        request=request,
        actor=request.user,
        action="cases.export",
        obj=request.user,
        detail=request.GET.urlencode(),
    )

    def rows():
        yield [label for _, label in selectors.EXPORT_FIELDS]
        for row in selectors.export_rows(request.user, filters):
            yield [row[key] for key, _ in selectors.EXPORT_FIELDS]

    response = StreamingHttpResponse(stream_rows(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
