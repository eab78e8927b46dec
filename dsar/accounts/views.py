"""The staff sign-in pages after the password: the code step, the account's security page
(enrol, new recovery codes, remove), and the page a locked-out sign-in gets.

Every page here is staff-side, in the admin's look (``admin.site.each_context``), and never
cached: recovery codes and the app's key are shown once, to the person at the screen.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from dsar.accounts import second_factor
from dsar.core.actors import staff_user

logger = logging.getLogger(__name__)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
        help_text=gettext_lazy(
            "The six digits your authenticator app shows, or one of your recovery codes."
        ),
    )


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


def _credentials(request: HttpRequest) -> dict[str, str]:
    # django-axes sets AXES_USERNAME_FORM_FIELD on the settings when it loads (axes.conf; by
    # default the user model's USERNAME_FIELD, "username"); the stubs know only dsar.settings.
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    return {field: request.user.get_username()}


@never_cache
@sensitive_post_parameters("code")
def verify(request: HttpRequest) -> HttpResponse:
    """The code after the password. A wrong code counts as a failed sign-in for the account and
    the address (django-axes), exactly as a wrong password does: past the limit the session is
    ended and the lockout page shown, so a stolen password gets no more guesses at the code
    than at the password."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("admin:login"))
    if second_factor.pending_step(request) is not second_factor.Step.VERIFY:
        return HttpResponseRedirect(_next_url(request))
    credentials = _credentials(request)
    if not AxesProxyHandler.is_allowed(request, credentials):
        logout(request)
        return locked_out(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = second_factor.code_check(request=request, token=form.cleaned_data["code"])
        if outcome is second_factor.Outcome.ACCEPTED:
            if isinstance(second_factor.session_device(request), second_factor.StaticDevice):
                left = second_factor.remaining_recovery_codes(request.user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code, which cannot be used again: "
                        "%(left)d left. Make new ones on your account's security page."
                    )
                    % {"left": left},
                )
            return HttpResponseRedirect(_next_url(request))
        if outcome is second_factor.Outcome.WAIT:
            form.add_error(
                "code", _("Too many wrong codes in a row: wait a few seconds and try again.")
            )
        else:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request, None, credentials)
            form.add_error("code", _("That code is not right, or has been used. Try the next one."))
    return render(
        request,
        "accounts/two_factor_verify.html",
        _context(request, _("Two-factor authentication"), form=form, next=_next_url(request)),
    )


@never_cache
@sensitive_post_parameters("code")
def setup(request: HttpRequest) -> HttpResponse:
    """The account's security page: set up the app (scan, then type a code to prove it works),
    or, once set up, make new recovery codes or remove it."""
    if not request.user.is_authenticated or not request.user.is_staff:
        return HttpResponseRedirect(reverse("admin:login") + "?next=" + request.path)
    user = request.user
    if not user.has_usable_password():
        # A single sign-on account: its provider does the second factor (docs/sso.md).
        return HttpResponseRedirect(reverse("admin:index"))
    device = second_factor.app_device(user)
    if device is not None:
        return render(
            request,
            "accounts/two_factor_status.html",
            _context(
                request,
                _("Two-factor authentication"),
                remaining=second_factor.remaining_recovery_codes(user),
                required=second_factor.required_for(user),
            ),
        )
    pending = second_factor.enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.enrolment_confirm(
            request=request, device=pending, token=form.cleaned_data["code"]
        )
        if codes is not None:
            return _show_codes(request, codes, _next_url(request))
        form.add_error("code", _("That code is not right. Check the app's clock, and try again."))
    return render(
        request,
        "accounts/two_factor_setup.html",
        _context(
            request,
            _("Set up two-factor authentication"),
            form=form,
            qr=_qr_data_uri(pending.config_url),
            key=_grouped(pending.config_url),
            required=second_factor.required_for(user),
            next=_next_url(request),
        ),
    )


@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once (the verified owner only: the gate sends anyone else to
    the code step first)."""
    if not _verified_owner(request):
        return HttpResponseRedirect(reverse("security:setup"))
    codes = second_factor.recovery_codes_regenerate(user=staff_user(request))
    return _show_codes(request, codes, reverse("security:setup"))


@never_cache
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    if not _verified_owner(request):
        return HttpResponseRedirect(reverse("security:setup"))
    second_factor.second_factor_remove(user=staff_user(request))
    messages.success(request, _("Two-factor authentication is off for your account."))
    return HttpResponseRedirect(reverse("security:setup"))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the page a locked-out sign-in gets, 429, saying what to do.
    It names neither the account nor the address (the person at the screen may not own it)."""
    cool_off: dt.timedelta | None = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    response = render(
        request,
        "accounts/locked_out.html",
        _context(request, _("Sign-in locked"), minutes=minutes),
        status=429,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


def _verified_owner(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_staff and second_factor.session_verified(request))


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(
        request,
        "accounts/two_factor_codes.html",
        _context(request, _("Your recovery codes"), codes=codes, next=next_url),
    )


def _qr_data_uri(url: str) -> str:
    """The otpauth:// URI as a QR code, an SVG in a data: URI (the content security policy
    allows data: images; no script, no request elsewhere). A light background for dark mode."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def _grouped(url: str) -> str:
    """The key from the URI, in groups of four, for typing into an app by hand."""
    from urllib.parse import parse_qs, urlsplit

    secret = parse_qs(urlsplit(url).query)["secret"][0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
