"""The case page's face matches: the two faces side by side (PNG crops) and setting the suggested talent."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from registry.cases import edits, face_matching, selectors
from registry.cases.errors import CaseError
from registry.cases.models import FaceMatch
from registry.cases.staff_views.case import case_url, visible_case_or_404
from registry.core.audit import record_access
from registry.likeness import faces


@staff_required
def face_crop(request, pk: int, side: str):
    """One of the two faces of a match, cropped: the face in the evidence image, or the face in the talent's
    reference photo (only while her descriptor exists: after a withdrawal of consent, 404)."""
    match = (
        FaceMatch.objects.filter(evidence__case__in=selectors.visible_cases(request.user), pk=pk)
        .select_related("evidence")
        .first()
    )
    if match is None or side not in face_matching.SIDES:
        raise Http404("No such face match.")
    source = face_matching.face_source(match, side)
    if source is None:  # the reference face once her consent is withdrawn (her descriptor deleted)
        raise Http404("This face is no longer kept.")
    data, box = source
    png = faces.crop(data, box)
    if not png:
        raise Http404("Not a readable image.")
    record_access(
        request=request,
        actor=request.user,
        action="face_match.view",
        obj=match,
        detail=f"{side} face of evidence {match.evidence_id} (distance {match.distance:.2f})",
    )
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@staff_required
@require_POST
def set_face_talent(request, pk: int):
    """Set the case's talent to a face match's (the ordinary edit of the case's facts, with its version)."""
    visible_case_or_404(request, pk)
    match = (
        FaceMatch.objects.filter(
            pk=request.POST.get("match") or 0, evidence__case_id=pk, talent__isnull=False
        )
        .select_related("talent")
        .first()
        if (request.POST.get("match") or "").isdigit()
        else None
    )
    version = request.POST.get("version") or ""
    if match is None or not version.isdigit():
        messages.error(request, "Choose a face match to take the talent from.")
        return redirect(case_url(pk, "face-matches"))
    try:
        edits.update_case(
            pk, actor=request.user, version=int(version), facts={"talent": match.talent.registry_id}
        )
    except CaseError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"The case is now about {match.talent.stage_name}.")
    return redirect(case_url(pk, "face-matches"))
