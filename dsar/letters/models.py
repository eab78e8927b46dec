"""Issued letters, their deliveries, and the data packages that go with access and portability.

An issued letter is evidence. Its PDF is written once to the private storage, with its
SHA-256 and the version of the templates that rendered it, and is never rendered again in place:
a correction is a new letter that points to the one it corrects (``corrects``). The model, its
queryset and database triggers (migration 0002) all refuse to change an issued letter's content;
only ``released_at`` is set, once, when the letter is made available to the requester.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.letters.kinds import LetterKind
from dsar.letters.storage import TamperedFileError, private_storage  # noqa: F401 - read() raises it
from dsar.lib.columns import attname
from dsar.organizations.tenancy import member_organization_ids

SHA256_REGEX = r"^[0-9a-f]{64}$"


class ImmutableError(Exception):
    """An attempt to change or delete an issued letter or a built data package."""


class WriteOnceQuerySet(models.QuerySet):
    """Refuses bulk changes to the fields a model declares IMMUTABLE, and bulk deletes."""

    def update(self, **kwargs: Any) -> int:
        frozen = set(kwargs) & self.model.IMMUTABLE
        if frozen:
            raise ImmutableError(
                f"{self.model.__name__}: {', '.join(sorted(frozen))} cannot change"
            )
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{self.model.__name__} rows are kept as evidence")

    def _update_past_guard(self, **kwargs: Any) -> int:
        """An UPDATE that skips the refusal of ``update``: only for the purge of housekeeping
        (``LetterQuerySet.purge_personal_data``), which the database trigger checks too."""
        return super().update(**kwargs)


class WriteOnce(models.Model):
    """A row whose IMMUTABLE fields are fixed at creation; SET_ONCE fields go from empty to a
    value once."""

    IMMUTABLE: ClassVar[frozenset[str]] = frozenset()
    SET_ONCE: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            self._check_unchanged()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"{type(self).__name__} rows are kept as evidence")

    def read(self) -> bytes:
        """The stored bytes, checked against the SHA-256 recorded when they were written
        (TamperedFileError, logged, when they differ: never served)."""
        return private_storage().read_verified(
            self.file.name,  # type: ignore[attr-defined]
            self.sha256,  # type: ignore[attr-defined]
            what=f"{type(self).__name__} {self.pk}",
        )

    def _check_unchanged(self) -> None:
        fields = sorted(self.IMMUTABLE | self.SET_ONCE)
        columns = [attname(type(self), name) for name in fields]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*columns).first()
        if stored is None:
            return
        for name, column in zip(fields, columns, strict=True):
            old, new = stored[column], getattr(self, column)
            if hasattr(new, "name") and not isinstance(new, str):  # a FieldFile
                new = new.name
            if name in self.IMMUTABLE and old != new:
                raise ImmutableError(f"{type(self).__name__}.{name} cannot change once issued")
            if name in self.SET_ONCE and old is not None and old != new:
                raise ImmutableError(f"{type(self).__name__}.{name} is set only once")


# -- Letters ---------------------------------------------------------------------------------------


class LetterQuerySet(WriteOnceQuerySet):
    def for_user(self, user: Any) -> LetterQuerySet:
        """Letters of the organizations ``user`` is a member of (tenancy)."""
        if user.is_superuser:
            return self
        return self.filter(request__organization_id__in=member_organization_ids(user))

    def released_to_requester(self, request: Any) -> LetterQuerySet:
        """The letters of ``request`` the requester may see (the status page lists these).

        A purged letter has no PDF any more: it is no longer offered."""
        return self.filter(
            request=request, released_at__isnull=False, purged_at__isnull=True
        ).order_by("issued_at", "pk")

    def purge_personal_data(self, now: datetime.datetime) -> int:
        """Delete these letters' PDFs from private storage and blank their free-text parts.

        The one way an issued letter changes after it was released, used only by housekeeping
        (``dsar.letters.housekeeping``) once the request's retention period is over. The row
        keeps what proves the letter was sent: number, kind, language, template and its
        version, file name (the path holds the reference, no name), SHA-256, size and dates.
        The database trigger (migration 0004) allows ``parts`` to change only to ``{}``, in the
        same UPDATE that sets ``purged_at``. Returns the number of letters purged.
        """
        letters = list(self.filter(purged_at__isnull=True).only("pk", "file"))
        storage = private_storage()
        for letter in letters:
            storage.delete(letter.file.name)  # a file already gone is no error
        purged = self.model.objects.filter(pk__in=[letter.pk for letter in letters])
        return purged._update_past_guard(parts={}, purged_at=now)


class Letter(WriteOnce):
    """A letter issued to a requester: an archived PDF, its SHA-256 and what rendered it."""

    IMMUTABLE = frozenset(
        {
            "request",
            "number",
            "kind",
            "language",
            "parts",
            "template",
            "template_version",
            "file",
            "sha256",
            "size",
            "issued_at",
            "issued_by",
            "corrects",
            "batch",
        }
    )
    SET_ONCE = frozenset({"released_at", "purged_at"})

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("request"),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("1, 2, 3… per request; printed as REFERENCE/L<number>.")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=LetterKind)
    language = models.CharField(_("language"), max_length=8)
    parts = models.JSONField(
        _("free-text parts"), default=dict, blank=True, help_text=_("As staff issued them.")
    )
    template = models.CharField(_("template"), max_length=200)
    template_version = models.CharField(
        _("template version"),
        max_length=64,
        help_text=_("SHA-256 of the templates and stylesheet that rendered the letter."),
    )
    file = models.FileField(_("PDF"), storage=private_storage, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
        help_text=_("The letter this one corrects. The corrected letter stays as it was issued."),
    )
    batch = models.UUIDField(
        _("batch"),
        null=True,
        blank=True,
        help_text=_("Bulk issue: a task that runs twice finds its letter instead of a second."),
    )
    released_at = models.DateTimeField(
        _("released to the requester at"),
        null=True,
        blank=True,
        help_text=_("Set once, when the letter is sent or published on the status page."),
    )
    purged_at = models.DateTimeField(
        _("personal data purged at"),
        null=True,
        blank=True,
        help_text=_(
            "After the retention period the PDF is deleted and the free-text parts blanked; "
            "the reference, kind, SHA-256 and dates stay as the record of what was sent."
        ),
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "number"], name="letters_number_unique_per_request"
            ),
            models.UniqueConstraint(fields=["file"], name="letters_one_letter_per_file"),
            models.UniqueConstraint(
                fields=["request", "kind", "batch"],
                condition=Q(batch__isnull=False),
                name="letters_once_per_batch",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_REGEX), name="letters_sha256_is_hex"
            ),
            models.CheckConstraint(condition=~Q(file=""), name="letters_file_present"),
            models.CheckConstraint(condition=Q(size__gt=0), name="letters_size_positive"),
            models.CheckConstraint(condition=Q(number__gte=1), name="letters_number_positive"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(corrects=F("id")),
                name="letters_does_not_correct_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return letter_reference(self.request.reference, self.number)

    @property
    def filename(self) -> str:
        return f"{self.reference.replace('/', '-')}-{self.kind}.pdf"

    @property
    def kind_enum(self) -> LetterKind:
        return LetterKind(self.kind)


def letter_reference(request_reference: str, number: int) -> str:
    return f"{request_reference}/L{number}"


class DeliveryMethod(models.TextChoices):
    ATTACHMENT = "attachment", _("email with the PDF attached")
    LINK = "link", _("email with a signed link to the letter")
    PACKAGE_LINK = "package_link", _("email with a signed link to the data package")

    @property
    def email_name(self) -> str:
        """The email templates (templates/emails/<name>.*) that carry it."""
        return {"attachment": "letter_attached", "link": "letter_link"}.get(
            self.value, "letter_package"
        )


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed: no more attempts")


class LetterDelivery(models.Model):
    """One email that carries a letter to the requester, with its attempts.

    A worker claims a pending delivery with a conditional UPDATE (pending → sending), sends, then
    records sent or failed. A failure is retried with exponential backoff up to ``max_attempts``.
    """

    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("letter")
    )
    method = models.CharField(_("method"), max_length=16, choices=DeliveryMethod)
    package = models.ForeignKey(
        "DataPackage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("data package"),
        help_text=_("The package whose link the email carries (package links only)."),
    )
    to = models.EmailField(_("to"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=5)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("letter delivery")
        verbose_name_plural = _("letter deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Used by dsar.letters.jobs.send_due_deliveries: pending deliveries by due attempt.
            models.Index(
                fields=["next_attempt_at"],
                name="letters_delivery_due",
                condition=Q(status=DeliveryStatus.PENDING),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="letters_delivery_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=Q(attempts__lte=F("max_attempts")),
                name="letters_delivery_attempts_within_max",
            ),
            models.CheckConstraint(
                condition=(Q(method=DeliveryMethod.PACKAGE_LINK) & Q(package__isnull=False))
                | (~Q(method=DeliveryMethod.PACKAGE_LINK) & Q(package__isnull=True)),
                name="letters_delivery_package_iff_package_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter} → {self.get_status_display()} ({self.attempts})"


# -- Data packages ---------------------------------------------------------------------------------


class ItemKind(models.TextChoices):
    FILE = "file", _("file")
    RECORDS = "records", _("records")


class DataItemQuerySet(models.QuerySet):
    def purge_personal_data(self, now: datetime.datetime) -> int:
        """Delete the files and blank the records and original names (housekeeping only)."""
        items = list(self.filter(purged_at__isnull=True).only("pk", "file"))
        storage = private_storage()
        for item in items:
            if item.file:
                storage.delete(item.file.name)
        # A file item keeps its (random, reference-only) storage name: the row must say "file".
        return DataItem.objects.filter(pk__in=[item.pk for item in items]).update(
            records=[], original_name="", purged_at=now
        )


class DataItem(models.Model):
    """What one system holds about the requester, in one data category: a file or records."""

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        related_name="data_items",
        verbose_name=_("request"),
    )
    system = models.CharField(
        _("system"), max_length=100, help_text=_("Where the data is held, e.g. Zoho CRM.")
    )
    category = models.CharField(
        _("data category"),
        max_length=300,
        help_text=_("Preferably a category of the policy, e.g. Contact Data."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind)
    file = models.FileField(_("file"), storage=private_storage, max_length=255, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    records = models.JSONField(
        _("records"),
        default=list,
        blank=True,
        help_text=_("A list of objects, one per record: field name → value."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    purged_at = models.DateTimeField(
        _("personal data purged at"),
        null=True,
        blank=True,
        help_text=_(
            "After the retention period the file or records are deleted; system, category, "
            "kind and SHA-256 stay."
        ),
    )

    objects = DataItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("data item")
        verbose_name_plural = _("data items")
        ordering = ["request", "system", "category", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=ItemKind.FILE) & ~Q(file=""))
                | (Q(kind=ItemKind.RECORDS) & Q(file="")),
                name="letters_item_file_or_records",
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_REGEX), name="letters_item_sha256_is_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.category}"


class DataPackageQuerySet(WriteOnceQuerySet):
    def for_user(self, user: Any) -> DataPackageQuerySet:
        if user.is_superuser:
            return self
        return self.filter(request__organization_id__in=member_organization_ids(user))

    def expired(self, now: datetime.datetime) -> DataPackageQuerySet:
        """Released packages whose link has run out and whose ZIP is still stored."""
        return self.filter(link_expires_at__lte=now, file_deleted_at__isnull=True)

    def delete_files(self, now: datetime.datetime) -> int:
        """Delete these packages' ZIPs from private storage; the rows stay, marked deleted.

        Used by housekeeping: when a link expires, and when the request's data is purged.
        ``file_deleted_at`` is not a column the write-once trigger guards."""
        packages = list(self.filter(file_deleted_at__isnull=True).only("pk", "file"))
        storage = private_storage()
        for package in packages:
            storage.delete(package.file.name)
        return DataPackage.objects.filter(pk__in=[package.pk for package in packages]).update(
            file_deleted_at=now
        )


class DataPackage(WriteOnce):
    """The ZIP of a request's data items plus its cover letter (docs/data-package.md)."""

    IMMUTABLE = frozenset(
        {"request", "number", "cover_letter", "file", "sha256", "size", "item_count", "built_at"}
    )

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        related_name="data_packages",
        verbose_name=_("request"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    cover_letter = models.ForeignKey(
        Letter,
        on_delete=models.PROTECT,
        related_name="packages",
        verbose_name=_("cover letter"),
        help_text=_("The access response or portability cover letter inside the ZIP."),
    )
    file = models.FileField(_("ZIP"), storage=private_storage, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    item_count = models.PositiveIntegerField(_("items"))
    built_at = models.DateTimeField(_("built at"), default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("built by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    link_expires_at = models.DateTimeField(
        _("link expires at"),
        null=True,
        blank=True,
        help_text=_("The requester's signed link stops working at this time."),
    )
    download_count = models.PositiveIntegerField(_("downloads by the requester"), default=0)
    file_deleted_at = models.DateTimeField(
        _("ZIP deleted at"),
        null=True,
        blank=True,
        help_text=_(
            "The ZIP is deleted when its link expires or the request's data is purged; the "
            "row stays as the record of what was released."
        ),
    )

    objects = DataPackageQuerySet.as_manager()

    class Meta:
        verbose_name = _("data package")
        verbose_name_plural = _("data packages")
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "number"], name="letters_package_number_unique_per_request"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_REGEX), name="letters_package_sha256_is_hex"
            ),
            models.CheckConstraint(condition=~Q(file=""), name="letters_package_file_present"),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(link_expires_at__gt=F("released_at")),
                name="letters_package_release_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference}/P{self.number}"

    @property
    def filename(self) -> str:
        return f"{self.request.reference}-data-{self.number}.zip"

    def link_valid(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(
            self.released_at
            and self.link_expires_at
            and now < self.link_expires_at
            and self.file_deleted_at is None
        )

    @property
    def file_deleted(self) -> bool:
        """The ZIP is gone (expired or purged): the package can no longer be downloaded."""
        return self.file_deleted_at is not None
