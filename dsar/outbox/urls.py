"""The demo mailbox, under the staff area (``/staff/mailbox/``), before the admin's catch-all."""

from django.contrib import admin
from django.urls import path

from dsar.outbox import views

app_name = "mailbox"

urlpatterns = [
    # admin_view: staff login required (redirects to the admin's login), never cached.
    path("", admin.site.admin_view(views.mailbox_list), name="index"),
    path("<str:name>/", admin.site.admin_view(views.mailbox_email), name="email"),
]
