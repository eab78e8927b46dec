from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Scheduled deadline reminders, requester nudges and housekeeping, run by django-q2."""

    name = "dsar.reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from dsar.reminders import checks  # noqa: F401 - registers the system checks
