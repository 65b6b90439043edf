"""Public pages of the cases app under /cases/: report misuse, follow (and answer) a report, my reports,
cases about me (talent)."""

from django.urls import path

from registry.cases import views

app_name = "cases"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/filed/", views.filed, name="filed"),
    path("track/<str:code>/", views.track, name="track"),
    path("track/<str:code>/reply/", views.track_reply, name="track-reply"),
    path("mine/", views.mine, name="mine"),
    path("about-me/<int:pk>/", views.about_me, name="about-me"),
]
