"""The form page: exactly the rights the policy in force promises, each with what it says, and a
page people can use (labels, error summary, hints, no JavaScript needed)."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from dsar.lib.policy_text import policy_html
from dsar.organizations.models import Organization
from dsar.policies.models import Channel, PolicyVersion
from dsar.policies.services import policy_version_draft_from, policy_version_publish
from dsar.requests.models import PrivacyRequest

from .conftest import SLUGS, text_of

pytestmark = pytest.mark.django_db


def radios(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]+)"', html)


OPT_OUTS = {"opt_out_sale", "opt_out_targeted_ads", "opt_out_profiling", "limit_sensitive"}


@pytest.mark.parametrize("slug", SLUGS)
def test_it_offers_the_rights_the_policy_in_force_promises_then_the_laws_opt_outs(
    seeds, client, slug
):
    """The policy's rights, in its order; after them only opt-outs the law gives (which ones
    follows from what the policy declares: tests/intake/test_opt_outs.py)."""
    organization = seeds[slug]
    version = PolicyVersion.objects.in_force_for(organization)
    promised = list(version.rights.values_list("kind", flat=True))

    html = client.get(f"/o/{slug}/request/").content.decode()

    offered = radios(html, "right")
    assert offered[: len(promised)] == promised
    assert set(offered[len(promised) :]) <= OPT_OUTS - set(promised)
    for right in version.rights.all():
        assert policy_html(right.clause) in html  # its Markdown rendered (imservicecenter)
        for item in right.requires:
            assert escape(item) in html
        if right.fee_clause:
            assert policy_html(right.fee_clause) in html


def test_each_right_says_what_it_costs_and_when_to_expect_an_answer(img, client):
    html = client.get("/o/img/request/").content.decode()
    access = html[html.index('id="id_right_access_summary"') :]
    access = text_of(access[: access.index("</details>")])

    assert "free, unless the request is clearly unfounded or excessive" in access
    # Received 2 March 2026 through the form IMG offers: its one-month promise covers everyone,
    # and is the GDPR's month in the EU/EEA and the UK; PIPEDA and the LGPD are earlier.
    assert "EU/EEA: by 2 April 2026 under the GDPR" in access
    assert "United Kingdom: by 2 April 2026 under the UK GDPR" in access
    assert (
        "United States, elsewhere: by 2 April 2026, as the privacy policy promises (one month)"
        in access
    )
    assert "Canada: by 1 April 2026 under PIPEDA" in access
    assert "Brazil: by 17 March 2026 under the LGPD" in access
    # No clock waits for the email confirmation.
    assert "confirm your email address today" not in access


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_right_of_every_organization_says_when_and_on_what(seeds, client, slug, language):
    html = client.get(f"/o/{slug}/request/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    kinds = radios(html, "right")
    lists = re.findall(r'<ul class="expectations">(.*?)</ul>', html, re.S)

    assert len(lists) == len(kinds) > 0
    basis = {
        "en": r"(under |as the privacy policy promises|sets the date)",
        "es": r"(según |como promete la política de privacidad|fija la fecha)",
    }[language]
    day = {"en": r"\d{1,2} [A-Z][a-z]+ 20\d\d", "es": r"\d{1,2} de [a-z]+ de 20\d\d"}[language]
    for found in lists:
        lines = [text_of(line) for line in re.findall(r"<li>(.*?)</li>", found, re.S)]
        assert lines
        for line in lines:
            assert re.search(basis, line), line
            assert re.search(day, line), line
    text = text_of(html).casefold()
    assert "no law" not in text and "ninguna ley" not in text


def test_it_lists_the_other_channels(img, client):
    html = client.get("/o/img/request/").content.decode()

    for channel in Channel.objects.filter(version__organization=img).exclude(address=""):
        assert escape(channel.address) in html
    assert '<a href="mailto:FTSupport@imgsecurity.com">' in html


def test_a_channel_named_without_an_address_is_not_offered(seeds, client):
    # imgwg names a postal address it never gives (a gap): nothing to show, nothing invented.
    html = client.get("/o/imgwg/request/").content.decode()

    assert "Prefer not to use this form?" not in html


def test_it_asks_where_the_requester_lives(img, client):
    html = client.get("/o/img/request/").content.decode()

    select = html[html.index('<select name="residence"') :]
    select = select[: select.index("</select>")]
    values = re.findall(r'<option value="([^"]*)"', select)
    assert values[0] == ""  # nothing chosen until the requester chooses
    assert {"US-VA", "US-TX", "US-CA", "FR", "GB", "CA", "BR", "OTHER"} <= set(values)
    assert "US" not in values and "EU" not in values
    assert len(values) == 1 + 51 + 30 + 3 + 1


def test_every_field_has_a_label(img, client):
    html = client.get("/o/img/request/").content.decode()

    ids = re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', html)
    hidden = set(re.findall(r'<input type="hidden"[^>]*\bid="([^"]+)"', html))
    for field_id in set(ids) - hidden:
        assert f'for="{field_id}"' in html, field_id


def test_hints_are_tied_to_their_fields(img, client):
    html = client.get("/o/img/request/").content.decode()

    assert re.search(r'<input type="email"[^>]*aria-describedby="id_email_hint"', html)
    assert 'id="id_email_hint"' in html
    assert re.search(r'<input type="email"[^>]*autocomplete="email"', html)
    assert re.search(r'<input type="text" name="name"[^>]*autocomplete="name"', html)


def test_the_form_needs_no_javascript(img, client):
    html = client.get("/o/img/request/").content.decode()

    # Every field is in the page, nothing is hidden by markup; the script only tidies up.
    assert " hidden" not in html.replace('type="hidden"', "")
    assert "novalidate" in html
    assert "<script src=" in html and "<script>" not in html


def test_an_error_summary_links_to_each_field_and_keeps_what_was_typed(img, client):
    response = client.post(
        "/o/img/request/",
        {
            "right": "rectification",
            "name": "Dana Data",
            "email": "not an address",
            "acting_for": "self",
            "wrong": "my surname",
            "message": "Ünïcödé kept",
        },
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert html.index('id="error-summary"') < html.index('<form method="post"')
    assert 'role="alert"' in html
    assert '<a href="#id_email">Enter an email address like name@example.com.</a>' in html
    assert '<a href="#id_residence">Choose where you live.</a>' in html
    assert '<a href="#id_correct">Say what the information should be.</a>' in html
    assert re.search(r'aria-describedby="id_email_hint id_email_error"', html)
    assert 'aria-invalid="true"' in html
    assert "<title>Error: " in html
    # Everything typed is still there.
    assert 'value="Dana Data"' in html
    assert 'value="not an address"' in html
    assert ">\nmy surname</textarea>" in html
    assert "Ünïcödé kept</textarea>" in html
    assert (
        'value="rectification" id="id_right_rectification" '
        'aria-describedby="id_right_rectification_summary" checked' in html
    )


def test_an_organization_without_a_policy_has_no_form(db, client):
    from dsar.organizations.models import Organization

    Organization.objects.create(slug="newco", name="NewCo", reference_prefix="NEW")

    response = client.get("/o/newco/request/")

    assert response.status_code == 404
    assert "No request form yet" in response.content.decode()


def test_an_unknown_organization_is_not_found(db, client):
    assert client.get("/o/nobody/request/").status_code == 404


def test_the_page_carries_a_content_security_policy(img, client):
    response = client.get("/o/img/request/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_middleware_sets_the_policy_on_other_pages(rf, settings):
    from django.http import HttpResponse

    from dsar.intake.middleware import ContentSecurityPolicyMiddleware

    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("x"))
    assert "default-src 'self'" in middleware(rf.get("/"))["Content-Security-Policy"]
    settings.DSAR_CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in middleware(rf.get("/"))


def test_the_organizations_colour_is_served_readable(db, client):
    from dsar.organizations.models import Organization

    Organization.objects.create(
        slug="yellow", name="Yellow", reference_prefix="YEL", primary_colour="#ffee00"
    )

    css = client.get("/o/yellow/theme.css").content.decode()

    assert "--accent: #" in css
    assert "#ffee00" not in css  # too light on white; darkened
    assert "--on-accent: #ffffff" in css or "--on-accent: #000000" in css


def test_the_logo_is_served_only_as_an_image(db, client, tmp_path, settings):
    from django.core.files.base import ContentFile

    from dsar.organizations.models import Organization

    settings.MEDIA_ROOT = tmp_path / "media"
    organization = Organization.objects.create(slug="logo", name="Logo Co", reference_prefix="LOG")
    organization.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20))

    response = client.get("/o/logo/logo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    organization.logo.save("evil.svg", ContentFile(b"<svg onload=alert(1)>"))
    assert client.get("/o/logo/logo").status_code == 404


def test_the_language_follows_the_browser_and_can_be_switched(img, client):
    spanish = client.get("/o/img/request/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in spanish
    assert "Enviar solicitud" in spanish

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/o/img/request/"})
    assert switched.status_code == 302
    english = client.get("/o/img/request/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in english
    assert "Send request" in english


def test_a_change_to_the_organization_shows_on_the_next_page(img, client):
    assert "Incident Response Group" not in client.get("/o/img/request/").content.decode()
    Organization.objects.filter(pk=img.pk).update(name="Incident Response Group")
    assert "Incident Response Group" in client.get("/o/img/request/").content.decode()


def test_a_request_sent_after_a_new_version_is_put_in_force_is_bound_to_it(img, client, submit):
    old = PolicyVersion.objects.in_force_for(img)
    submit(img)
    client.get("/o/img/request/")
    new = policy_version_publish(
        version=policy_version_draft_from(version=old, actor=None), actor=None
    )
    submit(img, email="eve@example.org")
    assert [r.policy_version_id for r in PrivacyRequest.objects.order_by("id")] == [
        old.pk,
        new.pk,
    ]
