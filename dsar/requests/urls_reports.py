"""The staff metrics page. The project's urls.py includes it under the admin, before the admin's
own patterns (whose catch-all would otherwise answer):

    path("staff/reports/", include("dsar.requests.urls_reports")),
    path("staff/", admin.site.urls),
"""

from django.contrib import admin
from django.urls import path

from dsar.requests import views_reports

app_name = "request_reports"

urlpatterns = [
    # admin_view: staff login required (redirects to the admin's login), never cached.
    path("", admin.site.admin_view(views_reports.request_reports), name="index"),
]
