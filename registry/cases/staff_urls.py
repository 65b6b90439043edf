"""Staff pages of the cases app under /staff/cases/ (MFA required: accounts.middleware)."""

from django.urls import path

from registry.cases import staff_views as views

app_name = "cases_staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("assign/", views.bulk_assign, name="bulk-assign"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export"),
    path("templates/", views.templates_list, name="templates"),
    path("templates/new/", views.template_edit, name="template-new"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/update/", views.update, name="update"),
    path("<int:pk>/watch/", views.watch, name="watch"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/message/", views.message, name="message"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/evidence/", views.add_evidence, name="add-evidence"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("urls/<int:pk>/status/", views.url_status, name="url-status"),
    path("evidence/<int:pk>/<str:variant>/", views.evidence_file, name="evidence-file"),
    path("reference/<int:pk>/<str:variant>/", views.reference_file, name="reference-file"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice-pdf"),
]
