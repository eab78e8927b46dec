"""The staff page of yearly request metrics (CCPA §7102), with a chart and a CSV download.

Staff only (wrapped in ``admin.site.admin_view`` by ``urls_reports``), and tenant-limited: a staff
member sees the organizations they are a member of; a superuser sees all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dsar.organizations.models import Organization
from dsar.requests import reports, workspace


def _organizations_for_user(user: Any) -> QuerySet[Organization]:
    return workspace.organizations_for(user).order_by("name")


def _get_organization_for_user(user: Any, slug: str) -> Organization:
    """The organization ``slug``, or 404 when it does not exist or is another tenant's."""
    organization = _organizations_for_user(user).filter(slug=slug).first()
    if organization is None:
        raise Http404(_("No such organization."))
    return organization


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
    legend: list[tuple[str, str, float]]


LABEL_WIDTH, PLOT_WIDTH, BAR, GAP = 260, 380, 12, 10


def _chart(
    title: str,
    rows: list[reports.Figures],
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


@require_safe
def request_reports(request: HttpRequest) -> HttpResponse:
    """Metrics of one organization and year (``?organization=slug&year=2026``); ``&format=csv``
    downloads them."""
    organizations = list(_organizations_for_user(request.user))
    slug = request.GET.get("organization")
    if slug:
        organization: Organization | None = _get_organization_for_user(request.user, slug)
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
    report = reports.request_metrics(organization=organization, year=year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"{organization.slug}-{year}-request-metrics.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        reports.write_csv([report], response)
        return response
    most = max((row.received for row in report.by_right), default=0)
    counts = [
        (_("received"), "received", lambda row: row.received),
        (_("complied with"), "complied", lambda row: row.complied),
        (_("denied"), "denied", lambda row: row.denied),
    ]
    rate = [(_("on time"), "on-time", lambda row: row.on_time_rate)]
    rated = [row for row in report.by_channel if row.with_deadline]
    context.update(
        year=year,
        years=sorted({*years, year}, reverse=True),
        report=report,
        counts_chart=_chart(_("Requests by right"), report.by_right, counts, maximum=most),
        on_time_chart=_chart(_("On-time rate by channel"), rated, rate, maximum=1, percent=True),
        generated_on=timezone.localdate(),
    )
    return TemplateResponse(request, "requests/reports.html", context)
