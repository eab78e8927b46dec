from django.contrib import admin
from django.urls import include, path

from dsar.core import views as core_views

admin.site.site_header = "dsar"
admin.site.site_title = "dsar staff"
admin.site.index_title = "Data-subject requests"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("o/", include("dsar.intake.urls")),
    path("letters/", include("dsar.letters.urls")),
    # Before the admin, whose catch-all would otherwise answer.
    path("staff/reports/", include("dsar.requests.urls_reports")),
    path("staff/", admin.site.urls),
]
