"""The organizations' message settings in the staff workspace (held messages have their own page,
``views.held``, with its recorded actions)."""

from __future__ import annotations

from django.contrib import admin

from dsar.correspondence.models import CorrespondenceSettings
from dsar.lib.admin_search import PrivateSearchMixin


@admin.register(CorrespondenceSettings)
class CorrespondenceSettingsAdmin(PrivateSearchMixin, admin.ModelAdmin):
    list_display = ("organization", "reply_mailbox", "content_in_email")
    list_select_related = ("organization",)
    search_fields = ("organization__name",)
