"""Site-wide pages above the apps: the home page, the per-role dashboard, the staff desk home and its
failed-work page (supervisors)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required, supervisor_required
from registry.brands import selectors as brand_selectors
from registry.cases import desk
from registry.core import outbox
from registry.core.models import OutboxMessage
from registry.site import failed_work
from registry.site.talent_home import talent_home


def home(request):
    return render(request, "site/home.html")


@login_required
def dashboard(request):
    """The starting point of every role: what to do next (talent and those who act for them; brands)."""
    membership = brand_selectors.membership_for(request.user)
    organization = membership.organization if membership else None
    context = {"brand_organization": organization, "talent_home": talent_home(request.user)}
    return render(request, "site/dashboard.html", context)


@staff_required
def staff_home(request):
    return render(
        request,
        "site/staff_home.html",
        {"failed_work": outbox.failed_count(), "counts": desk.desk_counts(request.user)},
    )


@supervisor_required
def failed_work_list(request):
    return render(
        request,
        "site/failed_work.html",
        {"messages_failed": failed_work.failed_messages(), "total": outbox.failed_count()},
    )


@supervisor_required
@require_POST
def failed_work_retry(request):
    if request.POST.get("all"):
        ids = list(
            OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).values_list("pk", flat=True)
        )
    else:
        ids = []
        for value in request.POST.getlist("message"):
            try:
                ids.append(uuid.UUID(value))
            except ValueError:  # not a message id: ignored
                continue
    count = failed_work.retry(ids)
    if count:
        messages.success(request, f"{count} task(s) sent again.")
    else:
        messages.info(request, "Nothing to retry: choose failed tasks first.")
    return redirect("site:failed-work")
