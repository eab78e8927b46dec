"""The API's JSON parser: DRF's, reading through ``dsar.lib.json_input``.

DRF's own parser lets a body nested a few thousand levels deep raise RecursionError (a 500), and
takes ``"\\u0000"``, which PostgreSQL refuses when the value is stored. Both are a 400 here, a
problem document like any other malformed body."""

from __future__ import annotations

import codecs
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from dsar.lib import json_input


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return json_input.loads(text)
        except (UnicodeDecodeError, json_input.JSONInputError) as error:
            raise ParseError(f"JSON parse error - {error}") from None
