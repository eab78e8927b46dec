from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrpConfig(AppConfig):
    """The Data Rights Protocol: dsar as a Covered Business that registered authorized agents
    send signed requests to (docs/drp.md)."""

    name = "dsar.drp"
    verbose_name = _("Data Rights Protocol")

    def ready(self) -> None:
        from dsar.drp import callbacks
        from dsar.requests import events

        # A request's status changes reach the agent's status callback (queued with the event),
        # and a purge of the request blanks the agent's evidence too.
        events.on_written(callbacks.on_events)
