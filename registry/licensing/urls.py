"""Licensing pages under /licenses/: requests, licenses, certificates and public verification."""

from django.urls import path

from registry.licensing import views

app_name = "licensing"

urlpatterns = [
    path("", views.license_list, name="licenses"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/<slug:action>/", views.request_action, name="request-action"),
    path("verify/", views.verify, name="verify"),
    path("<str:license_id>/", views.license_detail, name="license"),
    path("<str:license_id>/verify/", views.verify_license, name="verify-license"),
    path("<str:license_id>/certificate.json", views.certificate_json, name="certificate-json"),
    path("<str:license_id>/certificate.pdf", views.certificate_pdf, name="certificate-pdf"),
]
