"""Templates to HTML, HTML to PDF, with WeasyPrint locked down to the app's own static files.

Letters print text that requesters wrote (their name, address, message). Django's autoescape
turns any markup in it into text, and no letter template marks requester data ``|safe``. As a
second wall, WeasyPrint gets ``StaticOnlyFetcher``: the only URLs it can load are the app's
static files (``dsar-static:letters/letter.css`` or ``/static/letters/letter.css``, resolved by
the staticfiles finders) and the few in-memory images the renderer registers itself (an
organization's logo as ``dsar-inline:logo``). Any other URL (http, https, ftp, file, data) stops
the rendering with ``LetterRenderError``, so no letter can make the server fetch a network or
file URL.

Every character prints: one that no installed font of the letter's stylesheet can print (an
emoji, a script the fonts lack) is replaced by a visible code before rendering, never left as an
empty box (``dsar.letters.fonts``, ``printable_html``).
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib import request
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import TemplateDoesNotExist, loader
from django.utils import translation
from django.utils._os import safe_join
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from dsar.letters import fonts
from dsar.letters.kinds import LetterKind

STATIC_SCHEME = "dsar-static:"
INLINE_SCHEME = "dsar-inline:"
# Relative references resolve against this; "/static/x" stays "/static/x" (see the fetcher).
BASE_URL = STATIC_SCHEME + "/"

# Languages with a full set of letter templates (templates/letters/<code>/). Others fall back
# to English, letter by letter: a letter is never half translated.
LETTER_LANGUAGES = ("en", "es", "de", "fr", "pt-br")
DEFAULT_LANGUAGE = "en"

# The stylesheet of every letter; its content is part of each letter's template version. In a
# PDF the renderer applies it (parsed once per process, see shared_stylesheets()); the templates
# link it only for the browser preview.
SHARED_STATIC = ("letters/letter.css",)


class LetterRenderError(Exception):
    """A letter could not be rendered (a refused URL, a missing template or static file)."""


class UnsafeURLError(ValueError):
    """A URL outside the app's static files was asked for."""


# -- URL fetching ----------------------------------------------------------------------------------


def _static_prefix() -> str:
    url = settings.STATIC_URL or "/static/"
    return url if url.startswith("/") else "/" + url


def static_relative_path(url: str) -> str | None:
    """The static path of ``dsar-static:<path>`` or ``/static/<path>`` (``letters/letter.css``);
    None for any other URL, or for a path that tries to leave the static folders."""
    if url.startswith(STATIC_SCHEME):
        rel = url[len(STATIC_SCHEME) :]
    elif url.startswith(_static_prefix()):
        rel = url[len(_static_prefix()) :]
    else:
        return None
    rel = unquote(rel.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
    if not rel or "\\" in rel or "\x00" in rel:
        return None
    normal = posixpath.normpath(rel)
    if normal.startswith("../") or normal == ".." or normal != rel:
        return None
    return rel


@lru_cache(maxsize=256)
def find_static(rel: str) -> Path | None:
    """The file for a static path: the finders (app and project folders), then STATIC_ROOT
    (after collectstatic, where hashed names live)."""
    found = finders.find(rel)
    if isinstance(found, list):  # pragma: no cover - only with all=True
        found = found[0] if found else None
    if found:
        return Path(found)
    root = getattr(settings, "STATIC_ROOT", None)
    if root:
        try:
            candidate = Path(safe_join(str(root), rel))
        except Exception:  # SuspiciousFileOperation: outside STATIC_ROOT
            return None
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=64)
def _read(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the app's static files and nothing else.

    ``requested`` lists every URL WeasyPrint asked for, served or refused (tests read it).
    ``inline`` maps names to (bytes, mimetype) the caller supplies, reachable as
    ``dsar-inline:<name>``: the renderer's own images, never a URL from the document.
    """

    def __init__(self, inline: Mapping[str, tuple[bytes, str]] | None = None) -> None:
        # URLFetcher.__init__ would install urllib's http, https, ftp and file handlers; this
        # fetcher installs none, so nothing can reach the network even past fetch().
        request.OpenerDirector.__init__(self)
        self._timeout = 0
        self._http_headers: dict[str, str] = {}
        self._allowed_protocols = ()
        self._fail_on_errors = True  # a refused URL stops the rendering instead of leaving a gap
        self._request = None
        self.inline = dict(inline or {})
        self.requested: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        if url.startswith(INLINE_SCHEME):
            name = url[len(INLINE_SCHEME) :]
            if name in self.inline:
                body, mimetype = self.inline[name]
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mimetype})
            raise UnsafeURLError(f"unknown inline resource {name!r}")
        rel = static_relative_path(url)
        if rel is None:
            raise UnsafeURLError(f"refused to fetch {url[:200]!r}: only the app's static files")
        path = find_static(rel)
        if path is None:
            raise UnsafeURLError(f"no static file {rel!r}")
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        body = _read(path, path.stat().st_mtime_ns)
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mimetype})

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        # urllib's OpenerDirector entry point, in case anything calls it: same rules.
        return self.fetch(url if isinstance(url, str) else url.full_url)


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One font configuration per process: setting up fontconfig costs about a fifth of a short
    letter's rendering. Letters declare no @font-face (the fetcher would refuse its URL), so
    nothing accumulates in it from one letter to the next."""
    return FontConfiguration()


@lru_cache(maxsize=8)
def _parsed_stylesheet(rel: str, path: Path, mtime_ns: int) -> CSS:
    return CSS(
        string=_read(path, mtime_ns).decode("utf-8"),
        base_url=STATIC_SCHEME + rel,
        url_fetcher=StaticOnlyFetcher(),
        font_config=_font_config(),
    )


def shared_stylesheets() -> list[CSS]:
    """The parsed stylesheets every PDF gets (SHARED_STATIC), reused from one render to the next.

    Parsing letter.css is about a sixth of a short letter's rendering; a bulk issue renders
    hundreds of letters per worker process, so each process parses it once (and again only if
    the file changes). A stylesheet given this way has the "user" origin in WeasyPrint's
    cascade, so a document's own ``<style>`` (an organization's colour) still overrides it.
    Its URLs, if it ever has any, go through ``StaticOnlyFetcher`` like the document's."""
    sheets = []
    for rel in SHARED_STATIC:
        path = find_static(rel)
        if path is None:
            raise LetterRenderError(f"no static file {rel!r}")
        try:
            sheets.append(_parsed_stylesheet(rel, path, path.stat().st_mtime_ns))
        except FatalURLFetchingError as error:
            raise LetterRenderError(str(error.__cause__ or error)) from error
    return sheets


def letter_font_stacks() -> tuple[tuple[str, ...], ...]:
    """The ``font-family`` stacks of the shared stylesheets: the fonts a letter is set in."""
    css = []
    for rel in SHARED_STATIC:
        path = find_static(rel)
        if path is not None:
            css.append(_read(path, path.stat().st_mtime_ns).decode("utf-8"))
    return fonts.font_stacks("\n".join(css))


def printable_html(html: str) -> str:
    """``html`` with each character the letter's fonts cannot print replaced by a visible code
    (``[U+1F98A FOX FACE]``), so no letter prints an empty box: see ``dsar.letters.fonts``."""
    return fonts.printable(html, letter_font_stacks())


def html_to_pdf(
    html: str,
    *,
    inline: Mapping[str, tuple[bytes, str]] | None = None,
    fetcher: StaticOnlyFetcher | None = None,
) -> bytes:
    """The PDF of ``html`` with the shared stylesheets, WeasyPrint fetching only through
    ``StaticOnlyFetcher``."""
    fetcher = fetcher or StaticOnlyFetcher(inline)
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=shared_stylesheets(), font_config=_font_config())
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint; callers (views, tasks) expect an Exception.
        raise LetterRenderError(str(error.__cause__ or error)) from error


# -- Templates -------------------------------------------------------------------------------------


def letter_language(code: str | None) -> str:
    """The letter language for a requester's ``language``: the language itself where it has
    letters (pt-BR → pt-br), else its base language (es-MX → es), else a regional variant of
    that base (pt-PT → pt-br, as Django picks a page's language), else English.

    Brazilian Portuguese is a language of its own here: its letters are written for Brazilian
    readers, and its code is the one the public pages record (``get_language()``: "pt-br")."""
    wanted = (code or "").replace("_", "-").lower()
    base = wanted.split("-")[0]
    if wanted in LETTER_LANGUAGES:
        return wanted
    if base in LETTER_LANGUAGES:
        return base
    for language in LETTER_LANGUAGES:
        if base and language.startswith(base + "-"):
            return language
    return DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Template:
    name: str  # e.g. letters/es/access.html
    language: str  # the language actually used
    version: str  # SHA-256 of every file that shaped the letter: see template_files()


def _origin(name: str) -> Path:
    return Path(loader.get_template(name).origin.name)  # type: ignore[attr-defined]


def template_files(name: str) -> tuple[Path, ...]:
    """The files that make a letter: its template, the shared base and partials (``_*.html``,
    shared and of its language) and the stylesheet."""
    kind_path = _origin(name)
    language_dir = kind_path.parent
    letters_dir = language_dir.parent
    files = [kind_path, letters_dir / "base.html"]
    files += sorted(letters_dir.glob("_*.html")) + sorted(language_dir.glob("_*.html"))
    files += [path for rel in SHARED_STATIC if (path := find_static(rel)) is not None]
    return tuple(files)


@lru_cache(maxsize=128)
def _version(stamped: tuple[tuple[Path, int], ...]) -> str:
    digest = hashlib.sha256()
    for path, _mtime in stamped:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def template_version(name: str) -> str:
    """SHA-256 over the letter's files; cached until one of them changes (mtime)."""
    files = template_files(name)
    return _version(tuple((path, path.stat().st_mtime_ns) for path in files))


def letter_template(kind: LetterKind | str, language: str | None) -> Template:
    """The template of ``kind`` in ``language`` (or English), with its version."""
    kind = LetterKind(kind)
    wanted = letter_language(language)
    for lang in dict.fromkeys((wanted, DEFAULT_LANGUAGE)):
        name = f"letters/{lang}/{kind.template_name}"
        try:
            loader.get_template(name)
        except TemplateDoesNotExist:
            continue
        return Template(name, lang, template_version(name))
    raise LetterRenderError(f"no template for the {kind} letter")


def render_html(template: Template, context: Mapping[str, Any], *, for_pdf: bool = True) -> str:
    """The letter's HTML in its language. ``for_pdf`` picks how assets are addressed: the
    fetcher's ``dsar-static:`` scheme, or ``/static/`` URLs for the browser preview."""
    extra = {
        "for_pdf": for_pdf,
        "LANGUAGE_CODE": template.language,
        "lang_dir": f"letters/{template.language}/",
    }
    # The language is active too: dates (DATE_FORMAT) and choice labels follow it.
    with translation.override(template.language):
        return printable_html(loader.render_to_string(template.name, {**context, **extra}))


def render_document(
    name: str, context: Mapping[str, Any], *, language: str = DEFAULT_LANGUAGE
) -> bytes:
    """Render any letters template straight to PDF (the evidence pack)."""
    with translation.override(language):
        html = loader.render_to_string(name, {**context, "for_pdf": True})
    return html_to_pdf(printable_html(html))
