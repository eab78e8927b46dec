from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    """Two-way messages with the requester: a reply address per request, mail in (MTA pipe or an
    ESP's inbound webhook through django-anymail) and out, held messages for staff."""

    name = "dsar.correspondence"
    label = "correspondence"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from dsar.correspondence import inbound_webhook  # noqa: F401 - connects anymail's signal
        from dsar.correspondence.mail import KINDS, mark_sent
        from dsar.outbox import hooks

        hooks.on_sent(KINDS, mark_sent)
