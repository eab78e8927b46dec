"""Requester text is printed as text, and no letter can make the server fetch a URL.

Two proofs. A local HTTP server on 127.0.0.1 counts every request it receives: it must see
none. And every URL WeasyPrint asks the fetcher for is recorded: only the app's stylesheet.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from dsar.letters import render
from dsar.letters.render import LetterRenderError, StaticOnlyFetcher, html_to_pdf
from dsar.letters.services import letter_issue, letter_prepare

from .helpers import pdf_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def trap_server() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that records every hit, for the whole module (stopping one
    waits for its polling loop)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def trap(trap_server: str) -> tuple[str, list[str]]:
    """(base URL of the trap server, the hits it received during this test)."""
    _Counter.hits = []
    return trap_server, _Counter.hits


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL any StaticOnlyFetcher is asked for, served or refused."""
    asked: list[str] = []
    fetch = StaticOnlyFetcher.fetch

    def spy(self: StaticOnlyFetcher, url: str, headers: Any = None) -> Any:
        asked.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    return asked


def test_the_trap_counts_a_real_fetch(trap: tuple[str, list[str]]) -> None:
    # The control: the trap does see a request when one is made.
    import urllib.request

    base, hits = trap
    urllib.request.urlopen(base + "/control", timeout=5).close()  # noqa: S310 - local trap
    assert hits == ["/control"]


@pytest.mark.parametrize("kind", ["acknowledgement", "access", "refusal"])
def test_a_hostile_requester_is_printed_as_text_and_fetches_nothing(
    kind: str, make_request: Any, trap: tuple[str, list[str]], recorded: list[str]
) -> None:
    base, hits = trap
    name = f'<img src="{base}/x">'
    request = make_request(
        "img",
        "access",
        requester_name=name,
        requester_address=f'file:///etc/passwd\n<link rel="stylesheet" href="{base}/s.css">',
        message=f'<iframe src="{base}/frame"></iframe><object data="file:///etc/shadow">',
    )
    grounds = f'<img src="{base}/grounds"> <style>@import url("{base}/i.css");</style>'

    letter = letter_issue(request=request, kind=kind, actor=None, parts={"grounds": grounds})

    text = pdf_text(letter.read())
    assert f"Dear {name}," in text
    assert "file:///etc/passwd" in text
    assert hits == []
    # The stylesheet is applied by the renderer, not fetched: nothing at all was asked for.
    assert recorded == []


def test_the_preview_escapes_requester_text_twice_in_srcdoc(
    client: Any, olivia: Any, make_request: Any, trap: tuple[str, list[str]]
) -> None:
    base, hits = trap
    request = make_request("img", "access", requester_name=f'<img src="{base}/p">')
    client.force_login(olivia)

    response = client.get(reverse("letters:preview", args=[request.pk, "acknowledgement"]))

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<img src="{base}' not in body
    # In the letter: &lt;img; in the srcdoc attribute that holds the letter: &amp;lt;img.
    assert "&amp;lt;img src=&amp;quot;" in body
    assert hits == []


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{base}/img">',
        '<link rel="stylesheet" href="{base}/css">',
        "<style>@import url('{base}/import.css');</style>",
        "<style>body {{ background: url('{base}/bg.png'); }}</style>",
        "<style>@font-face {{ font-family: X; src: url('{base}/f.woff'); }}"
        " p {{ font-family: X }}</style>",
        '<object data="{base}/object"></object>',
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        '<img src="ftp://127.0.0.1/x">',
        '<img src="/static/../../dsar/settings.py">',
        '<link rel="stylesheet" href="dsar-static:../../dsar/settings.py">',
        '<link rel="stylesheet" href="/static/%2e%2e/%2e%2e/dsar/settings.py">',
        '<img src="dsar-inline:someone-elses-file">',
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(
    markup: str, trap: tuple[str, list[str]]
) -> None:
    base, hits = trap
    html = f"<html><body><p>x</p>{markup.format(base=base)}<p>y</p></body></html>"

    with pytest.raises(LetterRenderError):
        html_to_pdf(html)
    assert hits == []


@pytest.mark.parametrize("url", ["dsar-static:letters/letter.css", "/static/letters/letter.css"])
def test_the_fetcher_serves_the_apps_static_files(url: str) -> None:
    fetcher = StaticOnlyFetcher()

    response = fetcher.fetch(url)

    assert response.read() == (ROOT / "static" / "letters" / "letter.css").read_bytes()
    assert response.content_type == "text/css"
    assert fetcher.requested == [url]


def test_inline_resources_are_only_those_the_renderer_registers() -> None:
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
        b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    fetcher = StaticOnlyFetcher({"logo": (png, "image/png")})

    html_to_pdf('<html><body><img src="dsar-inline:logo"></body></html>', fetcher=fetcher)

    assert fetcher.requested == ["dsar-inline:logo"]


def test_a_logo_is_embedded_without_a_fetch(
    make_request: Any, img: Any, recorded: list[str], settings: Any, tmp_path: Path
) -> None:
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path / "media"
    img.logo.save("logo.png", ContentFile(_tiny_png()), save=True)
    request = make_request("img", "access")

    rendered = letter_prepare(request=request, kind="acknowledgement")
    rendered.pdf()

    assert 'src="dsar-inline:logo"' in rendered.html
    assert "dsar-inline:logo" in recorded


def _tiny_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (4, 4), "#0b5394").save(out, format="PNG")
    return out.getvalue()


def test_no_letter_or_email_template_marks_anything_safe() -> None:
    templates = list((ROOT / "templates" / "letters").rglob("*.html"))
    templates += list((ROOT / "templates" / "emails").glob("letter_*"))
    assert len(templates) > 30
    for path in templates:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", source), path
        # Plain-text emails are not HTML: escaping would print &lt; in them.
        assert "autoescape off" not in source or path.suffix == ".txt", path


def test_relative_static_paths_are_checked() -> None:
    assert render.static_relative_path("dsar-static:letters/letter.css") == "letters/letter.css"
    assert render.static_relative_path("/static/letters/letter.css?v=1") == "letters/letter.css"
    for bad in [
        "dsar-static:../x",
        "dsar-static:letters/../../x",
        "/static/..%2f..%2fetc/passwd",
        "dsar-static:letters\\..\\x",
        "https://example.org/static/letters/letter.css",
        "//example.org/static/x",
        "dsar-static:",
    ]:
        assert render.static_relative_path(bad) is None, bad
