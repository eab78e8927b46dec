"""One gate for every staff page: a password alone does not get past it when a second factor is
owed. Placed after django-otp's middleware, it sees every path, so the admin, the reports, the
letters and any staff view added later are behind the same check, whatever decorator they use.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from dsar.accounts import second_factor
from dsar.accounts.second_factor import Step

#: The pages each step leaves open, besides logging out and the static files.
_OPEN = {Step.VERIFY: "security:verify", Step.ENROL: "security:setup"}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = second_factor.pending_step(request)
        if step is not None:
            target = reverse(_OPEN[step])
            if not _is_open(request.path, target):
                query = (
                    urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                )
                return HttpResponseRedirect(target + (f"?{query}" if query else ""))
        return self.get_response(request)


def _is_open(path: str, target: str) -> bool:
    return (
        path == target
        or path == reverse("admin:logout")
        or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
    )
