"""The staff import page (/staff/terms/import/): upload, preview (a dry run), confirm, import. HTTP only."""

from __future__ import annotations

import base64
import hashlib

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import staff_required
from registry.consent.models import RegistryImport
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed
from registry.importer.forms import ImportConfirmForm, ImportUploadForm

TEMPLATE = "importer/staff_import.html"


def _confirm(request, context: dict):
    confirm = ImportConfirmForm(request.POST)
    raw = confirm.cleaned_data["content"] if confirm.is_valid() else b""
    if not raw or hashlib.sha256(raw).hexdigest() != confirm.cleaned_data["sha256"]:
        messages.error(request, "The file changed between preview and confirmation: upload it again.")
        return redirect("importer:import")
    try:
        report = run_import(
            raw,
            actor=request.user,
            source=RegistryImport.Source.STAFF_PAGE,
            file_name=confirm.cleaned_data["file_name"],
        )
    except ImportFailed as exc:
        context.update(errors=exc.errors, file_name=confirm.cleaned_data["file_name"])
        return render(request, TEMPLATE, context, status=400)
    messages.success(request, "Import complete." if report.changed else "Nothing to change.")
    context.update(report=report, done=True)
    return render(request, TEMPLATE, context)


def _preview(request, context: dict):
    form = ImportUploadForm(request.POST, request.FILES)
    context["upload_form"] = form
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    upload = form.cleaned_data["file"]
    raw = upload.read()
    try:
        report = run_import(raw, actor=request.user, dry_run=True, file_name=upload.name)
    except ImportFailed as exc:
        context.update(errors=exc.errors, file_name=upload.name)
        return render(request, TEMPLATE, context, status=400)
    context.update(
        report=report,
        preview=True,
        confirm_form=ImportConfirmForm(
            initial={
                "content": base64.b64encode(raw).decode(),
                "file_name": upload.name[:200],
                "sha256": hashlib.sha256(raw).hexdigest(),
            }
        ),
        file_name=upload.name,
    )
    return render(request, TEMPLATE, context)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    """Upload → preview of what will change (a dry run) → confirm → import, all in one transaction."""
    context = {
        "upload_form": ImportUploadForm(),
        "recent": RegistryImport.objects.select_related("imported_by")[:10],
    }
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, context)
    if request.method == "POST":
        return _preview(request, context)
    return render(request, TEMPLATE, context)
