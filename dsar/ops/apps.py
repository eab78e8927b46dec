from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Watching the installation run: liveness and readiness, Prometheus metrics, request ids in
    the logs, and the migration check of CI (docs/deploy.md)."""

    name = "dsar.ops"
    verbose_name = _("Operations")
