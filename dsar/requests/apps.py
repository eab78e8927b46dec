from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    """Privacy requests from intake to closure, with their deadlines and audit trail."""

    name = "dsar.requests"
    label = "requests"
    verbose_name = _("Requests")
