"""``policy_text``: a clause's inline Markdown as HTML, and nothing a policy file could inject."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(clause: str | None, mode: str = "") -> str:
    argument = f':"{mode}"' if mode else ""
    template = Template("{% load policy_text %}{{ clause|policy_text" + argument + " }}")
    return template.render(Context({"clause": clause}))


def test_bold_and_italic_are_rendered() -> None:
    assert render("We **will** answer *quickly*.") == (
        "We <strong>will</strong> answer <em>quickly</em>."
    )


def test_a_mailto_link_is_a_link() -> None:
    assert render("Write to [privacy@example.org](mailto:privacy@example.org).") == (
        'Write to <a href="mailto:privacy@example.org">privacy@example.org</a>.'
    )


def test_http_and_https_links_are_links() -> None:
    assert render("See [our page](https://example.org/privacy?a=1&b=2)") == (
        'See <a href="https://example.org/privacy?a=1&amp;b=2">our page</a>'
    )
    assert '<a href="http://example.org">' in render("[x](http://example.org)")


@pytest.mark.parametrize(
    "target",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "/staff/",
    ],
)
def test_any_other_link_is_not_a_link_but_text(target: str) -> None:
    html = render(f"Click [here]({target}) now.")

    assert "<a" not in html
    assert "href" not in html
    assert html.startswith("Click [here](")


def test_raw_html_is_escaped() -> None:
    html = render('<script>alert(1)</script> <a href="javascript:x">a</a> <img src=x onerror=y>')

    assert "<script" not in html and "<a " not in html and "<img" not in html
    assert html.startswith("&lt;script&gt;alert(1)&lt;/script&gt; &lt;a href=")


def test_an_image_is_never_an_image() -> None:
    # An image would make the browser, or WeasyPrint, fetch its URL.
    assert "<img" not in render("![logo](https://tracker.example.org/pixel.png)")


def test_a_line_break_is_kept() -> None:
    assert render("First line\nsecond line") == "First line<br />\nsecond line"


def test_block_syntax_is_left_as_text() -> None:
    assert render("# Not a heading") == "# Not a heading"
    assert render("") == ""
    assert render(None) == ""


def test_in_print_a_link_is_its_text_and_its_address() -> None:
    assert render("See [our page](https://example.org/privacy) or **call**.", "print") == (
        "See our page (https://example.org/privacy) or <strong>call</strong>."
    )
    # The text already is the address: printed once.
    assert render("At [a@example.org](mailto:a@example.org).", "print") == "At a@example.org."
    assert render("Write to [us](mailto:a@example.org).", "print") == "Write to us (a@example.org)."


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError):
        render("x", "pdf")
