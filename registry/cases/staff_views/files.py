"""Private files of the desk (evidence, reference photos, notice PDFs): authorised per case and audited."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from accounts.decorators import staff_required
from registry.cases import selectors
from registry.cases.models import Evidence, EvidenceMatch, Notice
from registry.core.audit import record_access
from registry.core.uploads import private_storage


def _file_response(field_file, *, content_type: str, filename: str, attachment: bool) -> FileResponse:
    response = FileResponse(
        private_storage.open(field_file.name, "rb"),
        content_type=content_type,
        as_attachment=attachment,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@staff_required
def evidence_file(request, pk: int, variant: str):
    evidence = get_object_or_404(selectors.visible_evidence(request.user), pk=pk)
    if variant == "original":
        record_access(
            request=request,
            actor=request.user,
            action="evidence.download",
            obj=evidence,
            detail=f"original {evidence.sha256}",
        )
        name = evidence.original_name or f"evidence-{evidence.pk}"
        return _file_response(evidence.original, content_type=evidence.mime, filename=name, attachment=True)
    if variant not in ("display", "thumb") or evidence.kind != Evidence.Kind.IMAGE:
        raise Http404
    if variant == "display":
        record_access(
            request=request, actor=request.user, action="evidence.view", obj=evidence, detail="display copy"
        )
    field = evidence.display if variant == "display" else evidence.thumbnail
    return _file_response(
        field, content_type="image/jpeg", filename=f"evidence-{pk}-{variant}.jpg", attachment=False
    )


@staff_required
def reference_file(request, pk: int, variant: str):
    """A talent's reference photo, for staff comparing it with matched evidence (via a visible case)."""
    match = (
        EvidenceMatch.objects.filter(
            reference_media_id=pk, evidence__case__in=selectors.visible_cases(request.user)
        )
        .select_related("reference_media")
        .first()
    )
    if match is None or variant not in ("display", "thumb"):
        raise Http404
    media = match.reference_media
    record_access(
        request=request,
        actor=request.user,
        action="reference_media.view",
        obj=media,
        detail=f"compared with evidence {match.evidence_id} (distance {match.distance})",
    )
    field = media.display if variant == "display" else media.thumbnail
    if not field:
        field = media.original
    return _file_response(
        field,
        content_type="image/jpeg" if field != media.original else media.mime,
        filename=f"reference-{pk}-{variant}.jpg",
        attachment=False,
    )


@staff_required
def notice_pdf(request, pk: int):
    notice = get_object_or_404(Notice.objects.filter(case__in=selectors.visible_cases(request.user)), pk=pk)
    record_access(
        request=request, actor=request.user, action="notice.download", obj=notice, detail=notice.sha256
    )
    return _file_response(
        notice.pdf,
        content_type="application/pdf",
        filename=f"{notice.case.reference}-{notice.kind}.pdf",
        attachment=True,
    )
