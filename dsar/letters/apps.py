from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    """Response letters as archived PDFs, data packages and the evidence pack."""

    name = "dsar.letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from dsar.letters import checks  # noqa: F401 - registers the system checks
