from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed HTTP notifications of what happens to requests, per organization (Standard
    Webhooks), queued with the event that caused them and sent by the task cluster."""

    name = "dsar.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from dsar.requests import events
        from dsar.webhooks import checks, services  # noqa: F401 - registers the system checks

        # Every event written anywhere is looked at here, in its own transaction: a delivery is
        # queued with the event or not at all (the outbox).
        events.on_written(services.queue_for_events)
