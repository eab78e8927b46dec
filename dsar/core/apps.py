from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Pages and commands that belong to the whole installation, not to one domain."""

    name = "dsar.core"
    verbose_name = _("dsar")

    def ready(self) -> None:
        from dsar.core import checks  # noqa: F401 - registers the deployment checks
        from dsar.lib import lookups

        lookups.register()
