from django.contrib import admin
from django.urls import include, path

from dsar.core import views as core_views
from dsar.drp import views as drp_views
from dsar.fulfilment import views as fulfilment_views
from dsar.ops import views as ops_views

admin.site.site_header = "dsar"
admin.site.site_title = "dsar staff"
admin.site.index_title = "Data-subject requests"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Also answered by dsar.ops.middleware.ProbeMiddleware, ahead of the host check.
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(".well-known/gpc.json", include("dsar.intake.well_known")),  # Global Privacy Control
    path("o/", include("dsar.intake.urls")),
    # The requester's answer from the status page (dsar.correspondence).
    path("o/", include("dsar.correspondence.urls_public")),
    # Inbound mail from email service providers: /anymail/<esp>/inbound/ (docs/correspondence.md).
    path("anymail/", include("dsar.correspondence.urls_anymail")),
    path("letters/", include("dsar.letters.urls")),
    # The REST API for the organizations' own systems (docs/api.md).
    path("api/", include("dsar.api.urls")),
    # The Data Rights Protocol (docs/drp.md) and staff single sign-on (docs/sso.md).
    path(".well-known/data-rights.json", drp_views.discovery, name="drp_discovery"),
    path("drp/", include("dsar.drp.urls")),
    path("sso/", include("dsar.accounts.urls")),
    # The HTTP connector's callbacks: a system's later answer, with a single-use token.
    path(
        "fulfilment/callback/<str:token>/",
        fulfilment_views.connector_callback,
        name="fulfilment_callback",
    ),
    # Before the admin, whose catch-all would otherwise answer.
    path("staff/reports/", include("dsar.requests.urls_reports")),
    # The second factor of staff sign-in (docs/security.md, "Staff sign-in").
    path("staff/security/", include("dsar.accounts.urls_security")),
    path("staff/correspondence/", include("dsar.correspondence.urls")),
    # The demo's mailbox: 404 unless DSAR_DEMO_MAILBOX (dsar.outbox.mailbox).
    path("staff/mailbox/", include("dsar.outbox.urls")),
    path("staff/", admin.site.urls),
]

# The error pages: the public pages' look, the visitor's language, no detail (dsar.core.errors).
handler400 = "dsar.core.errors.bad_request"
handler403 = "dsar.core.errors.permission_denied"
handler404 = "dsar.core.errors.page_not_found"
handler500 = "dsar.core.errors.server_error"
