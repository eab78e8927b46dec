from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every email to requesters and staff that is not a reminder or a letter: written with what
    caused it, sent by the task cluster with retries (docs/security.md, "Email")."""

    name = "dsar.outbox"
    label = "outbox"
    verbose_name = _("Outgoing email")
