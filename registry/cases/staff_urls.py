"""Staff pages of the cases app under /staff/cases/ (MFA required: accounts.middleware)."""

from django.urls import path

from registry.cases.staff_views import case, faces, files, notices, queue

app_name = "cases_staff"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("assign/", queue.bulk_assign, name="bulk-assign"),
    path("dashboard/", queue.dashboard, name="dashboard"),
    path("views/", queue.save_view, name="view-save"),
    path("views/<int:pk>/delete/", queue.delete_view, name="view-delete"),
    path("export.csv", queue.export_csv, name="export"),
    path("templates/", notices.templates_list, name="templates"),
    path("templates/new/", notices.template_edit, name="template-new"),
    path("templates/<int:pk>/", notices.template_edit, name="template-edit"),
    path("<int:pk>/", case.detail, name="detail"),
    path("<int:pk>/transition/", case.transition, name="transition"),
    path("<int:pk>/update/", case.update, name="update"),
    path("<int:pk>/watch/", case.watch, name="watch"),
    path("<int:pk>/note/", case.note, name="note"),
    path("<int:pk>/message/", case.message, name="message"),
    path("<int:pk>/link/", case.link, name="link"),
    path("<int:pk>/evidence/", case.add_evidence, name="add-evidence"),
    path("<int:pk>/notice/", notices.notice, name="notice"),
    path("<int:pk>/face-talent/", faces.set_face_talent, name="face-talent"),
    path("face-matches/<int:pk>/<str:side>.png", faces.face_crop, name="face-crop"),
    path("urls/<int:pk>/status/", case.url_status, name="url-status"),
    path("urls/<int:pk>/recheck/", notices.url_recheck, name="url-recheck"),
    path("notices/<int:pk>/response/", notices.notice_response, name="notice-response"),
    path("evidence/<int:pk>/<str:variant>/", files.evidence_file, name="evidence-file"),
    path("reference/<int:pk>/<str:variant>/", files.reference_file, name="reference-file"),
    path("notices/<int:pk>/pdf/", files.notice_pdf, name="notice-pdf"),
]
