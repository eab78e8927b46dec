"""The staff page of yearly request metrics: the figures per right and channel, the CCPA §7102
table of its five request types, and the appeals per state, each with a chart or table and a CSV
download (``?format=csv&table=metrics|ccpa|appeals``).

Staff only (wrapped in ``admin.site.admin_view`` by ``urls_reports``), and tenant-limited: a staff
member sees the organizations they are a member of; a superuser sees all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dsar.organizations.models import Organization
from dsar.organizations.tenancy import get_for_staff, organizations_of
from dsar.requests import reports


def _organizations_for_user(user: Any) -> QuerySet[Organization]:
    return organizations_of(user).order_by("name")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    text: str
    x: float
    y: float
    width: float
    height: float
    css: str

    @property
    def text_x(self) -> float:
        return round(self.x + self.width + 4, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + self.height - 1, 1)


@dataclass(frozen=True)
class Chart:
    """An inline SVG bar chart: the geometry is computed here, the template only draws it."""

    title: str
    width: int
    height: int
    labels: list[tuple[str, float]]
    bars: list[Bar]
    legend: list[tuple[str, str, int]]


LABEL_WIDTH, PLOT_WIDTH, BAR, GAP = 260, 380, 12, 10


def _chart(
    title: str,
    rows: Sequence[Any],
    series: list[tuple[str, str, Any]],
    *,
    maximum: float,
    percent: bool = False,
) -> Chart:
    """Grouped horizontal bars: one group per row, one bar per series (label, css, getter)."""
    bars, labels = [], []
    group = BAR * len(series) + GAP
    top = 24
    for index, row in enumerate(rows):
        y0 = top + index * group
        labels.append((row.label, y0 + BAR * len(series) / 2 + 4))
        for offset, (name, css, get) in enumerate(series):
            value = get(row)
            if value is None:
                continue
            width = PLOT_WIDTH * value / maximum if maximum else 0
            text = f"{value:.0%}" if percent else str(value)
            bars.append(
                Bar(
                    label=f"{row.label}, {name}: {text}",
                    value=value,
                    text=text,
                    x=LABEL_WIDTH,
                    y=y0 + offset * BAR,
                    width=round(max(width, 1 if value else 0), 1),
                    height=BAR - 2,
                    css=css,
                )
            )
    legend = [(name, css, LABEL_WIDTH + i * 130) for i, (name, css, _get) in enumerate(series)]
    height = top + len(rows) * group + 8
    return Chart(title, LABEL_WIDTH + PLOT_WIDTH + 60, height, labels, bars, legend)


def _year(value: str | None, years: list[int]) -> int | None:
    """The year asked for; by default the newest with requests, else this year. None if bad."""
    if value is None:
        return years[0] if years else timezone.localdate().year
    if not value.isdigit() or not 2000 <= int(value) <= 2999:
        return None
    return int(value)


TABLES = ("metrics", "ccpa", "appeals")


def _csv(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def request_reports(request: HttpRequest) -> HttpResponse:
    """Metrics of one organization and year (``?organization=slug&year=2026``); the §7102 table
    counts California residents unless ``&scope=all``; ``&format=csv`` downloads one table
    (``&table=metrics``, the default, ``ccpa`` or ``appeals``)."""
    organizations = list(_organizations_for_user(request.user))
    slug = request.GET.get("organization")
    if slug:
        organization: Organization | None = get_for_staff(
            Organization.objects.all(), request.user, slug=slug
        )
    else:
        organization = organizations[0] if organizations else None
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("Request metrics (CCPA §7102)"),
        "organizations": organizations,
        "organization": organization,
    }
    if organization is None:
        return TemplateResponse(request, "requests/reports.html", context)
    years = reports.report_years(organization)
    year = _year(request.GET.get("year"), years)
    if year is None:
        return HttpResponseBadRequest(_("Give the year as four digits."))
    scope = request.GET.get("scope") or reports.Scope.CALIFORNIA
    table = request.GET.get("table") or "metrics"
    if scope not in reports.Scope.CHOICES or table not in TABLES:
        return HttpResponseBadRequest(_("Unknown scope or table."))
    if request.GET.get("format") == "csv":
        return _download(organization, year, scope, table)
    report = reports.request_metrics(organization=organization, year=year)
    groups = reports.year_groups(organization=organization, year=year)
    ccpa = reports.ccpa_7102(organization=organization, year=year, scope=scope, groups=groups)
    appeals = reports.appeal_metrics(organization=organization, year=year, groups=groups)
    most = max((row.received for row in report.by_right), default=0)
    counts = [
        (_("received"), "received", lambda row: row.received),
        (_("complied with"), "complied", lambda row: row.complied),
        (_("denied"), "denied", lambda row: row.denied),
    ]
    rate = [(_("on time"), "on-time", lambda row: row.on_time_rate)]
    rated = [row for row in report.by_channel if row.with_deadline]
    ccpa_most = max((row.received for row in ccpa.rows), default=0)
    context.update(
        year=year,
        years=sorted({*years, year}, reverse=True),
        report=report,
        counts_chart=_chart(_("Requests by right"), report.by_right, counts, maximum=most),
        on_time_chart=_chart(_("On-time rate by channel"), rated, rate, maximum=1, percent=True),
        scope=scope,
        scopes=[
            (reports.Scope.CALIFORNIA, _("California residents (the CCPA's consumers)")),
            (reports.Scope.ALL, _("every requester")),
        ],
        ccpa=ccpa,
        ccpa_chart=_chart(_("CCPA §7102 request types"), ccpa.rows, counts, maximum=ccpa_most),
        appeals=appeals,
        generated_on=timezone.localdate(),
    )
    return TemplateResponse(request, "requests/reports.html", context)


def _download(organization: Organization, year: int, scope: str, table: str) -> HttpResponse:
    """One table as CSV, named by organization, year and table (never by a person)."""
    if table == "ccpa":
        response = _csv(f"{organization.slug}-{year}-ccpa-7102-{scope}.csv")
        ccpa = reports.ccpa_7102(organization=organization, year=year, scope=scope)
        reports.write_ccpa_7102_csv(ccpa, response)
    elif table == "appeals":
        response = _csv(f"{organization.slug}-{year}-appeals.csv")
        reports.write_appeals_csv(
            reports.appeal_metrics(organization=organization, year=year), response
        )
    else:
        response = _csv(f"{organization.slug}-{year}-request-metrics.csv")
        reports.write_csv([reports.request_metrics(organization=organization, year=year)], response)
    return response
