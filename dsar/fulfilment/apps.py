from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    """The work that answers a request: the register of systems and recipients, a task per
    system, and the connectors that do a task without a person (issue 16)."""

    name = "dsar.fulfilment"
    label = "fulfilment"
    verbose_name = _("Fulfilment")

    def ready(self) -> None:
        from dsar.fulfilment import letters, notices, tasks
        from dsar.letters import context
        from dsar.requests import events, guards

        # Tasks are made in the transaction of the event that verified the request: a request
        # is never verified without its tasks, nor given tasks without being verified.
        events.on_written(tasks.create_on_verification)
        guards.register(tasks.open_task_blockers)
        # The access letter's categories, recipients, retention and transfers start from the
        # register where it has them.
        context.register_source(letters.access_lists)
        # A recipient's notice is told once its email has left (the outbox's hooks).
        from dsar.outbox import hooks

        hooks.on_sent([notices.NOTICE_EMAIL], notices.notice_sent)
        hooks.on_failed([notices.NOTICE_EMAIL], notices.notice_failed)
