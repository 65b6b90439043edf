"""Site-wide pages above the apps: the home page, the per-role dashboard and the staff desk home."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.decorators import staff_required


def home(request):
    return render(request, "site/home.html")


@login_required
def dashboard(request):
    return render(request, "site/dashboard.html")


@staff_required
def staff_home(request):
    return render(request, "site/staff_home.html")
