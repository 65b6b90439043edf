"""A signed-in person's own settings beside allauth's account pages (/accounts/notifications/)."""

from django.urls import path

from accounts import views

app_name = "account_settings"

urlpatterns = [path("notifications/", views.notification_settings, name="notifications")]
