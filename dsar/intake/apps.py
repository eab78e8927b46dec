from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The public side: the request form, email verification and the requester's status page."""

    name = "dsar.intake"
    verbose_name = _("Public intake")

    def ready(self) -> None:
        from dsar.intake import checks  # noqa: F401 - registers the system checks
        from dsar.intake.services import ACKNOWLEDGING, acknowledge_on_sent
        from dsar.outbox import hooks

        # Receipt is acknowledged once the email that says so has left, not when it was queued.
        hooks.on_sent(ACKNOWLEDGING, acknowledge_on_sent)
