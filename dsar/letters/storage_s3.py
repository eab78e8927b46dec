"""The private storage in an S3-compatible bucket (``PRIVATE_STORAGE_URL=s3://…``).

django-storages' S3Storage, made write-once and private (``dsar.letters.storage`` says why):

- every write is one ``PUT`` with ``If-None-Match: *`` (AWS S3 since 2024, MinIO, Ceph RGW,
  Cloudflare R2, moto…): the store refuses a name that is taken, atomically, whichever node
  writes. With ``conditional_writes=false`` (a store without them) a ``HEAD`` comes first, and
  the random part of every name dsar writes closes the race the check leaves;
- no ACL is ever set (objects inherit the bucket's: keep it private, with its public access
  blocked), requests are signed, and ``url()`` raises: files are streamed through the app, after
  their SHA-256 is checked, never linked;
- no file is opened for writing (``S3File`` in a write mode would overwrite without a check).

This module imports boto3: ``dsar.letters.storage`` does not, so an installation that keeps its
files on a local disk never loads it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError
from django.core.files.base import File
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from dsar.letters.storage import WriteOnceStorage

#: What a store answers to a conditional write under a taken name (412), or while another
#: conditional write of the same name is under way (409, AWS).
TAKEN = frozenset({"PreconditionFailed", "ConditionalRequestConflict"})


class PrivateS3Storage(WriteOnceStorage, S3Storage):
    def __init__(self, *, conditional_writes: bool = True, **options: Any) -> None:
        self.conditional_writes = conditional_writes
        # Never overwrite, never an ACL of our own, signed requests only.
        options.update(file_overwrite=False, default_acl=None, querystring_auth=True)
        super().__init__(**options)

    def _open(self, name: str, mode: str = "rb") -> File:
        if any(flag in mode for flag in "wa+x"):
            raise PermissionError("private files are written once, with save_once")
        return super()._open(name, mode)

    def _save(self, name: str, content: File) -> str:
        # Storage.save (generic code: the readiness probe) is write-once too: the name was
        # found free, and the conditional PUT makes sure it still is.
        if hasattr(content, "seek"):
            content.seek(0)
        return self._put_once(name, content.read())

    def save_once(self, name: str, content: bytes, *, owner_only: bool = False) -> str:
        return self._put_once(name, content)

    def _put_once(self, name: str, content: bytes) -> str:
        cleaned = clean_name(name)
        params: dict[str, Any] = {
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(cleaned),
            "Body": content,
            "ContentType": "application/octet-stream",
        }
        if self.conditional_writes:
            params["IfNoneMatch"] = "*"
        elif self.exists(cleaned):
            raise FileExistsError(name)
        try:
            self.connection.meta.client.put_object(**params)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status in (409, 412) or error.response.get("Error", {}).get("Code") in TAKEN:
                raise FileExistsError(name) from error
            raise
        return cleaned

    def walk(self, prefix: str) -> Iterator[tuple[str, datetime.datetime]]:
        folder = self._normalize_name(clean_name(prefix).strip("/")) + "/"
        location = self.location.strip("/")
        start = len(location) + 1 if location else 0
        paginator = self.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket_name, Prefix=folder):
            for entry in page.get("Contents", ()):
                yield entry["Key"][start:], entry["LastModified"]
