"""The register of systems and recipients, and the tasks that answer a request in each system.

A privacy officer keeps, per organization, the systems that hold personal data and the recipients
the data is disclosed to (GDPR Art. 30's record, the same facts Art. 15(1) and Art. 19 need). When a
request is verified, each system the right applies to gets a ``Task``: the owner of the system does
it, by hand or through the system's connector, before the organization's internal margin runs out.

Every change of the register is a ``RegisterChange`` row, append-only: the register is evidence of
what the organization said it held on a given day, as its policy versions are of what it promised.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.organizations.tenancy import member_organization_ids
from dsar.policies.models import RightKind
from dsar.requests.models import AppendOnlyError

#: The identity values a connector's statements may name, as ``%(email)s``: read from the
#: request when the statement runs, bound as parameters, never written into the SQL.
IDENTITY_PARAMETERS = ("email", "name", "phone", "reference")
_PARAMETER = re.compile(r"%\((\w+)\)s")
#: An environment variable's name: the connector's database URL is read from it at run time.
ENV_NAME_REGEX = r"^[A-Z][A-Z0-9_]{0,99}$"


def statement_parameters(sql: str) -> set[str]:
    """The named parameters a statement uses (``%(email)s`` → ``email``)."""
    return set(_PARAMETER.findall(sql))


def validate_statement(sql: str) -> None:
    """A statement may name only the identity parameters, and must name at least one: a query
    that names nobody would return, or delete, everyone's rows."""
    if not sql:
        return
    used = statement_parameters(sql)
    unknown = used - set(IDENTITY_PARAMETERS)
    if unknown:
        raise ValidationError(
            _("Unknown parameter %(names)s: use %(known)s."),
            params={
                "names": ", ".join(sorted(unknown)),
                "known": ", ".join(f"%({p})s" for p in IDENTITY_PARAMETERS),
            },
        )
    if not used:
        raise ValidationError(
            _(
                "Name the person with a parameter such as %(email)s: a statement without one "
                "reaches every row."
            ),
            params={"email": "%(email)s"},
        )


class SystemKind(models.TextChoices):
    IN_HOUSE = "in_house", _("in-house")
    PROCESSOR = "processor", _("processor")
    THIRD_PARTY = "third_party", _("third party")


class ConnectorKind(models.TextChoices):
    """How a system's task is done: by its owner, or by dsar through a connector."""

    NONE = "none", _("none: done by hand")
    POSTGRESQL = "postgresql", _("PostgreSQL database")
    HTTP = "http", _("HTTPS endpoint (signed POST)")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class System(models.Model):
    """A system that holds personal data of the organization's data subjects."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="systems",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_systems",
        verbose_name=_("owner"),
        help_text=_("Who does this system's tasks; blank leaves them to whoever takes them."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=SystemKind, default=SystemKind.IN_HOUSE
    )
    data_categories = models.TextField(
        _("data categories"),
        blank=True,
        help_text=_("One per line, preferably as the policy names them (Contact Data)."),
    )
    rights = models.JSONField(
        _("rights that apply"),
        default=list,
        blank=True,
        help_text=_("A request for one of these rights gets a task in this system."),
    )
    retention = models.CharField(_("retention"), max_length=300, blank=True)
    location = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Where the data is stored.")
    )
    transfer_safeguards = models.CharField(
        _("transfer safeguards"),
        max_length=300,
        blank=True,
        help_text=_("For data outside the EEA: adequacy decision, SCCs… (GDPR Art. 46)."),
    )
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("Copied into each task: how to do it here.")
    )
    connector = models.CharField(
        _("connector"), max_length=16, choices=ConnectorKind, default=ConnectorKind.NONE
    )
    dsn_env = models.CharField(
        _("database URL variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "The NAME of the environment variable that holds the database URL "
            "(CUSTOMER_DB_URL), never the URL: credentials stay out of the database."
        ),
    )
    access_query = models.TextField(
        _("access query"),
        blank=True,
        validators=[validate_statement],
        help_text=_("A SELECT naming the person with %(email)s, %(name)s, %(phone)s."),
    )
    erasure_statement = models.TextField(
        _("erasure statement"),
        blank=True,
        validators=[validate_statement],
        help_text=_("A DELETE or UPDATE naming the person with the same parameters."),
    )
    timeout_seconds = models.PositiveSmallIntegerField(_("statement timeout (seconds)"), default=30)
    endpoint_url = models.URLField(
        _("endpoint URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "HTTP connector: where dsar POSTs the signed access or erasure call (https; the "
            "webhooks' address rules apply)."
        ),
    )
    secret_env = models.CharField(
        _("signing secret variable"),
        max_length=100,
        blank=True,
        help_text=_(
            "HTTP connector: the NAME of the environment variable holding the whsec_ secret "
            "the call is signed with (Standard Webhooks)."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("system")
        verbose_name_plural = _("systems")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("name"),
                name="fulfilment_system_name_unique_per_org",
                violation_error_message=_("The organization already has a system of this name."),
            ),
            models.CheckConstraint(
                condition=Q(connector=ConnectorKind.NONE)
                | Q(connector=ConnectorKind.POSTGRESQL, dsn_env__regex=ENV_NAME_REGEX)
                | (
                    Q(connector=ConnectorKind.HTTP, secret_env__regex=ENV_NAME_REGEX)
                    & ~Q(endpoint_url="")
                ),
                name="fulfilment_connector_names_its_env_variable",
                violation_error_message=_(
                    "A connector needs the name of the environment variable holding its database "
                    "URL or signing secret (upper-case letters, digits and underscores), and an "
                    "HTTP connector its endpoint URL."
                ),
            ),
            models.CheckConstraint(
                condition=Q(timeout_seconds__gte=1, timeout_seconds__lte=600),
                name="fulfilment_timeout_1_to_600_seconds",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [r for r in self.rights or [] if r not in RightKind.values]
        if not isinstance(self.rights, list) or unknown:
            raise ValidationError({"rights": _("Unknown right: %s") % ", ".join(map(str, unknown))})
        if "://" in self.dsn_env:
            raise ValidationError(
                {"dsn_env": _("Give the variable's name, not the URL: the URL holds a password.")}
            )
        if self.secret_env.startswith("whsec_"):
            raise ValidationError(
                {"secret_env": _("Give the variable's name, not the secret itself.")}
            )
        if self.connector == ConnectorKind.HTTP and self.endpoint_url:
            from dsar.webhooks.transport import RefusedURL, check_syntax

            try:
                check_syntax(self.endpoint_url)
            except RefusedURL as error:
                raise ValidationError({"endpoint_url": str(error)}) from None

    @property
    def category_list(self) -> list[str]:
        return _lines(self.data_categories)

    def applies_to(self, right: str) -> bool:
        return right in (self.rights or [])


class Recipient(models.Model):
    """Someone the organization discloses personal data to (GDPR Art. 15(1)(c), Art. 19)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"),
        max_length=200,
        blank=True,
        help_text=_("As a letter names it: payment processor, marketing partner…"),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_url = models.URLField(
        _("contact URL"),
        blank=True,
        help_text=_(
            "Where a notice of a rectification, erasure or restriction is POSTed, signed with the "
            "secret below (https; the webhooks' address rules apply). Used before the email."
        ),
    )
    secret_env = models.CharField(
        _("signing secret variable"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(ENV_NAME_REGEX, _("An environment variable's NAME."))],
        help_text=_(
            "The NAME of the environment variable holding the whsec_ secret notices to the "
            "contact URL are signed with (Standard Webhooks)."
        ),
    )
    systems = models.ManyToManyField(
        System, blank=True, related_name="recipients", verbose_name=_("systems shared")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("name"),
                name="fulfilment_recipient_name_unique_per_org",
                violation_error_message=_("The organization already has a recipient of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ChangeAction(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
    IMPORTED = "imported", _("imported")


class RegisterChangeQuerySet(models.QuerySet["RegisterChange"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("register changes are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("register changes are append-only")


class RegisterChange(models.Model):
    """One change of the register: who changed which entry, when, and its values before and
    after. The register on any past day can be read back from these rows."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="register_changes",
        verbose_name=_("organization"),
    )
    entry = models.CharField(_("entry"), max_length=16)  # "system" or "recipient"
    entry_id = models.PositiveBigIntegerField(_("entry id"))
    name = models.CharField(_("name"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = RegisterChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("register change")
        verbose_name_plural = _("register changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "-at"], name="fulfilment_change_org_at")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.entry} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("register changes are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("register changes are append-only")


class TaskMargin(models.Model):
    """How long before the legal deadline an organization wants its tasks done.

    Counted in business days of the organization's holiday calendar, backwards from the legal
    due date: a margin of 5 gives the privacy team a working week to check the answers and write
    the letter, whatever weekends and holidays fall in between (docs/fulfilment.md)."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="task_margin",
        verbose_name=_("organization"),
    )
    business_days = models.PositiveSmallIntegerField(
        _("business days before the deadline"), default=5
    )

    class Meta:
        verbose_name = _("task margin")
        verbose_name_plural = _("task margins")

    def __str__(self) -> str:
        return f"{self.organization}: {self.business_days}"


DEFAULT_MARGIN = 5


class TaskState(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    NOT_APPLICABLE = "not_applicable", _("not applicable")

    @classmethod
    def pending_values(cls) -> list[str]:
        """States that keep a request from being answered."""
        return [cls.OPEN.value, cls.IN_PROGRESS.value]


class TaskQuerySet(models.QuerySet["Task"]):
    def pending(self) -> TaskQuerySet:
        return self.filter(state__in=TaskState.pending_values())

    def finished(self) -> TaskQuerySet:
        """Done or not applicable."""
        return self.exclude(state__in=TaskState.pending_values())

    def overdue(self, today: Any) -> TaskQuerySet:
        return self.pending().filter(due_date__lt=today)

    def for_user(self, user: Any) -> TaskQuerySet:
        """Tasks of the requests of the organizations ``user`` is a member of (tenancy)."""
        if user.is_superuser:
            return self
        return self.filter(request__organization_id__in=member_organization_ids(user))

    def owned_by(self, user: Any) -> TaskQuerySet:
        """The user's tasks in the organizations they are still a member of."""
        return self.filter(owner=user, request__organization_id__in=member_organization_ids(user))


class Task(models.Model):
    """The work one system owes one request."""

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("request"),
    )
    system = models.ForeignKey(
        System, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("system")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilment_tasks",
        verbose_name=_("owner"),
    )
    state = models.CharField(_("state"), max_length=16, choices=TaskState, default=TaskState.OPEN)
    due_date = models.DateField(
        _("due"),
        null=True,
        blank=True,
        help_text=_("The legal deadline less the organization's margin; none without a deadline."),
    )
    instructions = models.TextField(
        _("instructions"), blank=True, help_text=_("The system's, as they were when it was made.")
    )
    outcome = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    reminded_at = models.DateTimeField(
        _("owner reminded at"),
        null=True,
        blank=True,
        help_text=_("Set once, by the claim that sends the reminder: never twice."),
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "system"], name="fulfilment_one_task_per_system"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[TaskState.OPEN, TaskState.IN_PROGRESS])
                | (Q(completed_at__isnull=False) & ~Q(outcome="")),
                name="fulfilment_finished_task_says_what_was_done",
                violation_error_message=_("Say what was done."),
            ),
        ]
        indexes = [
            # "My tasks" and the dashboard's overdue tasks by owner: pending tasks only.
            models.Index(
                fields=["owner", "due_date"],
                name="fulfilment_task_pending_owner",
                condition=Q(state__in=["open", "in_progress"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.request_id}"

    @property
    def is_pending(self) -> bool:
        return self.state in TaskState.pending_values()


class RunKind(models.TextChoices):
    ACCESS = "access", _("collect the person's rows")
    ERASURE_COUNT = "erasure_count", _("count the rows an erasure would touch")
    ERASURE = "erasure", _("erase the person's rows")
    ERASURE_REQUEST = "erasure_request", _("ask the system to erase the person's data")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    WAITING = "waiting", _("waiting for the system's answer")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ConnectorRun(models.Model):
    """One run of a system's connector for a task. Holds counts, never the rows themselves:
    the rows an access run finds go into the request's data package."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="runs", verbose_name=_("task")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RunKind)
    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus, default=RunStatus.QUEUED
    )
    rows = models.IntegerField(_("rows"), null=True, blank=True)
    confirms = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dry run confirmed"),
        help_text=_("For an erasure: the count staff saw and confirmed."),
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    next_attempt_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    callback_token_hash = models.CharField(
        _("callback token (SHA-256)"),
        max_length=64,
        blank=True,
        help_text=_("HTTP connector: the hash of the single-use token of its callback URL."),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("connector run")
        verbose_name_plural = _("connector runs")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=RunKind.ERASURE) | Q(confirms__isnull=False),
                name="fulfilment_erasure_confirms_a_count",
                violation_error_message=_("An erasure runs only after its count is confirmed."),
            ),
            models.UniqueConstraint(
                fields=["callback_token_hash"],
                condition=~Q(callback_token_hash=""),
                name="fulfilment_callback_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", _("being sent")
    SENT = "sent", _("told")
    FAILED = "failed", _("sending failed")
    NO_CONTACT = "no_contact", _("no address in the register")
    ANSWERED = "answered", _("answered")


#: The rights whose outcome each recipient is told (GDPR Art. 19; Cal. Civ. Code §1798.105(c)).
NOTIFIED_RIGHTS = (RightKind.RECTIFICATION, RightKind.ERASURE, RightKind.RESTRICTION)


class RecipientNotice(models.Model):
    """That one recipient was told of a rectification, erasure or restriction, and its answer
    (GDPR Art. 19; Cal. Civ. Code §1798.105(c) for service providers, contractors and third
    parties). The recipient's name is kept as it was told, should the register change."""

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.CASCADE,
        related_name="recipient_notices",
        verbose_name=_("request"),
    )
    recipient = models.ForeignKey(
        Recipient,
        on_delete=models.SET_NULL,
        null=True,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    recipient_name = models.CharField(_("recipient name"), max_length=200)
    sent_to = models.EmailField(_("sent to"), blank=True)
    # Told by HTTP: where, how many tries, and the last HTTP status the recipient answered.
    sent_to_url = models.URLField(_("sent to URL"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    # The outbox's email that tells it: its sending (or failure) sets the status.
    email = models.ForeignKey(
        "outbox.Email",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("email"),
    )
    status = models.CharField(_("status"), max_length=12, choices=NoticeStatus)
    sent_at = models.DateTimeField(_("told at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("recipient notice")
        verbose_name_plural = _("recipient notices")
        ordering = ["request", "recipient_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "recipient"], name="fulfilment_one_notice_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.request_id}"
