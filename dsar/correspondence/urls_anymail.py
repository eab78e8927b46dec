"""django-anymail's inbound webhooks (/anymail/<esp>/inbound/), each behind a guard.

Anymail answers a request it cannot read with an exception, and so a 500: the route of a
provider this installation has not set up raises ``AnymailConfigurationError`` on every call,
and a body that is not the provider's format raises whatever its parser meets (invalid JSON, a
nesting too deep, a malformed SNS message). A walk of every URL with malformed input found 148
such answers (tests/security/test_malformed_walk.py). Here a provider that is not configured
is a 404, a body that cannot be read a 400, and a wrong signature stays anymail's own 400
(``AnymailWebhookValidationFailure``, a ``SuspiciousOperation``). Only the inbound routes are
served: dsar sends through the outbox and reads no provider's tracking events.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from anymail import urls as anymail_urls
from anymail.exceptions import (
    AnymailConfigurationError,
    AnymailError,
    AnymailWebhookValidationFailure,
)
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import URLPattern

logger = logging.getLogger(__name__)

#: What a provider's parser raises on a body that is not in its format.
MALFORMED = (AnymailError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)  # keeps csrf_exempt: providers post without a CSRF token
    def guard(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except AnymailConfigurationError:
            logger.warning("anymail: a call to the inbound route of a provider not set up here")
            raise Http404 from None
        except AnymailWebhookValidationFailure:
            raise
        except MALFORMED as error:
            # The kind only: the body is someone's email.
            logger.warning("anymail: an inbound webhook body that cannot be read: %s", type(error))
            return HttpResponseBadRequest("This is not a webhook body this route can read.")

    return guard


urlpatterns = [
    URLPattern(pattern.pattern, guarded(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
    if isinstance(pattern, URLPattern) and (pattern.name or "").endswith("inbound_webhook")
]
