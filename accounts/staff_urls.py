"""Staff account administration under /staff/users/ (supervisors; MFA required by accounts.middleware)."""

from django.urls import path

from accounts import views

app_name = "accounts_staff"

urlpatterns = [path("", views.staff_accounts, name="list")]
