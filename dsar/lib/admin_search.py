"""Search terms kept out of addresses: the admin lists search by a token in the URL.

Staff search the request list by a requester's name or email address, the contacts by a
person's name. The admin puts the term in the query string (``?q=dana@example.org``), from where
it reaches the web server's access log, the proxy's, the browser's history and the ``Referer``
of every page opened from the list: personal data in URLs, which the project does not allow.
Here the search form is posted (``templates/admin/search_form_posted.html``, included by each of
our apps' ``admin/<app>/search_form.html``); the term is kept in the staff member's session under
a random token, and the list's address carries only the token (``?s=…``), as do its pagination,
sorting, filter and back-to-list links. An address with ``q`` in it (typed, or bookmarked
before) is answered with a redirect to its token.

A token belongs to the session that made it: it means nothing in another browser, and the last
``KEEP`` searches are remembered. The daily housekeeping deletes expired sessions, and the
search terms in them (``dsar.reminders.jobs.housekeeping``). Every admin of our models that
searches uses ``PrivateSearchMixin`` (a test holds them to it).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

TOKEN_VAR = "s"  # noqa: S105 - the name of a query parameter, not a secret
SESSION_KEY = "dsar_searches"
KEEP = 20
# Longer than any reference, name or address; the session is read on every staff page.
MAX_LENGTH = 200
# What a posted search form carries that is not a filter of the list.
_NOT_PARAMS = {"csrfmiddlewaretoken", SEARCH_VAR, TOKEN_VAR}


def remember(request: HttpRequest, term: str) -> str:
    """Keep ``term`` (its first ``MAX_LENGTH`` characters) in the session; returns its token."""
    searches: dict[str, str] = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(12)
    searches[token] = term[:MAX_LENGTH]
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEEP:])
    return token


def recall(request: HttpRequest) -> str | None:
    """The term of the token in the list's address; None without a token or for one this
    session did not make (or has forgotten)."""
    token = request.GET.get(TOKEN_VAR)
    if not token:
        return None
    return request.session.get(SESSION_KEY, {}).get(token)


def is_search_post(request: HttpRequest) -> bool:
    """Whether this is the list's search form posted (not an action on the list)."""
    return request.method == "POST" and SEARCH_VAR in request.POST and "action" not in request.POST


class PrivateSearchChangeList(ChangeList):
    """The admin's list, searching by the term its token stands for."""

    def get_filters_params(self, params: Any = None) -> dict[str, Any]:
        lookup = super().get_filters_params(params)
        lookup.pop(TOKEN_VAR, None)  # not a field to filter on
        return lookup

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> Any:
        self.query = recall(request) or ""
        return super().get_queryset(request, exclude_parameters)


class PrivateSearchMixin:
    """For a ModelAdmin with ``search_fields``; its app's ``admin/<app>/search_form.html`` posts
    the form."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return PrivateSearchChangeList

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_or_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied  # before anything is kept in the session
        if is_search_post(request):
            return self._to_token(request, request.POST[SEARCH_VAR], request.POST)
        if SEARCH_VAR in request.GET:
            return self._to_token(request, request.GET[SEARCH_VAR])
        if request.GET.get(TOKEN_VAR) and recall(request) is None:
            messages.info(request, _("That search has expired: search again."))
            return HttpResponseRedirect(_address(request, _without(request.GET, TOKEN_VAR)))
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    def _to_token(
        self, request: HttpRequest, term: str, posted: QueryDict | None = None
    ) -> HttpResponseRedirect:
        """Redirect to the list with the same filters and the term's token (none when the term
        is blank: the search is cleared). The form posts the filters as hidden fields; a filter
        may have several values."""
        params = request.GET.copy()
        for key in posted or ():
            params.setlist(key, posted.getlist(key))  # type: ignore[union-attr]
        params = _without(params, *_NOT_PARAMS, "p")
        if term.strip():
            params[TOKEN_VAR] = remember(request, term)
        return HttpResponseRedirect(_address(request, params))


def _without(params: QueryDict, *names: str) -> QueryDict:
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept


def _address(request: HttpRequest, params: QueryDict) -> str:
    query = params.urlencode()
    return request.path + (f"?{query}" if query else "")
