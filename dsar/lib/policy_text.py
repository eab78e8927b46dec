"""Policy clauses as formatted text: the inline Markdown of a policy, rendered and locked down.

Clauses are quoted verbatim from an organization's privacy policy, and the policies are kept as
Markdown extracts, so a clause can carry ``**bold**``, ``*italic*`` or a link
(``[support@example.com](mailto:support@example.com)``). Quoted raw, a requester would read the
asterisks and brackets. ``policy_html`` renders the inline Markdown of a clause (emphasis, links,
line breaks, code spans) with markdown-it, and nothing else:

- a clause is data read from a policy file, never markup: raw HTML in it is escaped (markdown-it
  with ``html`` off), and so is every character of text;
- a link is a link only to ``http``, ``https`` or ``mailto``; any other target (``javascript:``,
  ``data:``, a relative path) leaves the Markdown as plain text;
- images are off: a quoted clause must never make a browser, or WeasyPrint, fetch anything;
- block syntax (headings, lists, quotes) does not apply: a clause is one passage of text.

For a letter (``printed=True``) a link prints as its text followed by its address in brackets,
unless the text already is the address (``support@example.com``): paper has no links.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def allowed_link(url: str) -> bool:
    """Whether ``url`` (as markdown-it normalized it) may be a link: http, https or mailto."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES


def _printed_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return ""


def _printed_link_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    """After the link's text: `` (address)``, unless the text says the address already."""
    start = idx
    while start > 0 and tokens[start].type != "link_open":
        start -= 1
    href = unquote(str(tokens[start].attrGet("href") or ""))
    address = href.removeprefix("mailto:")
    text = "".join(token.content for token in tokens[start + 1 : idx])
    if text.strip().casefold() in {address.casefold(), href.casefold()}:
        return ""
    return f" ({escapeHtml(address)})"


@cache
def _parser(printed: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    parser.disable(["image"])
    parser.validateLink = allowed_link  # type: ignore[method-assign]
    if printed:
        parser.add_render_rule("link_open", _printed_link_open)
        parser.add_render_rule("link_close", _printed_link_close)
    return parser


def policy_html(text: str | None, *, printed: bool = False) -> SafeString:
    """The clause ``text`` as safe inline HTML (see the module's docstring)."""
    if not text:
        return mark_safe("")
    html = _parser(printed).renderInline(str(text)).strip()
    return mark_safe(html)  # noqa: S308 - markdown-it escaped all text, no raw HTML passes
