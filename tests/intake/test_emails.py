"""The requester's emails. The confirmation email is the acknowledgement of receipt (Cal. Code
Regs. tit. 11 §7021(a)): it says the request was received, how it will be processed and verified,
and when to expect an answer, with what that date rests on. The "confirmed" email says that the
email address is confirmed, never that the identity is verified. Each in the requester's language,
dates included."""

from __future__ import annotations

import pytest
from django.core import mail

from dsar.requests.models import PrivacyRequest
from tests.conftest import deliver_outbox

from .conftest import form_data, link_in

pytestmark = pytest.mark.django_db

RECEIVED = {
    "en": (
        "We received your privacy request to {org} on 2 March 2026, sent with this email address."
    ),
    "es": (
        "Hemos recibido el 2 de marzo de 2026 su solicitud de privacidad a {org}, enviada con esta "
        "dirección de correo."
    ),
}
CONFIRM_ONLY = {
    "en": (
        "This confirms only that you read this mailbox. It is not a check of who you are, and it "
        "does not change when to expect an answer."
    ),
    "es": (
        "Esto solo confirma que usted lee este buzón. No comprueba su identidad ni cambia cuándo "
        "esperar una respuesta."
    ),
}
# How the identity will be verified, by what requires it.
IDENTITY = {
    ("policy", "en"): (
        "The privacy policy of imgwg Communications requires it to check who you are before it "
        "acts on this request. It will tell you what it needs for that."
    ),
    ("policy", "es"): (
        "La política de privacidad de imgwg Communications le obliga a comprobar su identidad "
        "antes de atender esta solicitud. Le indicará lo que necesita para ello."
    ),
    ("ccpa", "en"): (
        "California law lets imgwg Communications act on this request only once it has verified "
        "that the request comes from you. It will do so by matching information you give with "
        "information it already holds, and will ask you only for what it needs. The time to "
        "answer runs from the day it received your request, however long the verification takes."
    ),
    ("ccpa", "es"): (
        "La ley de California solo permite a imgwg Communications atender esta solicitud una vez "
        "que haya verificado que procede de usted. Lo hará comparando la información que usted "
        "aporte con la que ya tiene, y solo le pedirá lo que necesite. El plazo para responder "
        "cuenta desde el día en que recibió su solicitud, tarde lo que tarde la verificación."
    ),
    ("US-VA", "en"): (
        "The Virginia Consumer Data Protection Act lets imgwg Communications act on this request "
        "only once it has checked that the request comes from you."
    ),
    ("US-VA", "es"): (
        "La ley «Virginia Consumer Data Protection Act» solo permite a imgwg Communications "
        "atender esta solicitud una vez que haya comprobado que procede de usted."
    ),
    ("US-TX", "en"): (
        "The Texas Data Privacy and Security Act lets imgwg Communications act on this request "
        "only once it has checked that the request comes from you."
    ),
    ("US-TX", "es"): (
        "La ley «Texas Data Privacy and Security Act» solo permite a imgwg Communications "
        "atender esta solicitud una vez que haya comprobado que procede de usted."
    ),
}
# imgwg promises no date for access: the law of each residence, or imgwg's own date.
ANSWER = {
    ("FR", "en"): "When to expect an answer: by 2 April 2026 under the GDPR.",
    (
        "FR",
        "es",
    ): "Cuándo esperar una respuesta: a más tardar el 2 de abril de 2026, según el RGPD.",
    ("GB", "en"): "When to expect an answer: by 2 April 2026 under the UK GDPR.",
    ("GB", "es"): (
        "Cuándo esperar una respuesta: a más tardar el 2 de abril de 2026, según el RGPD del "
        "Reino Unido."
    ),
    ("US-CA", "en"): (
        "When to expect an answer: by 16 April 2026 under the California Consumer Privacy Act."
    ),
    ("US-CA", "es"): (
        "Cuándo esperar una respuesta: a más tardar el 16 de abril de 2026, según la Ley de "
        "Privacidad del Consumidor de California."
    ),
    ("US-VA", "en"): (
        "When to expect an answer: by 16 April 2026 under the Virginia Consumer Data Protection "
        "Act."
    ),
    ("US-VA", "es"): (
        "Cuándo esperar una respuesta: a más tardar el 16 de abril de 2026, según la ley "
        "«Virginia Consumer Data Protection Act»."
    ),
    ("US-TX", "en"): (
        "When to expect an answer: by 16 April 2026 under the Texas Data Privacy and Security Act."
    ),
    ("US-TX", "es"): (
        "Cuándo esperar una respuesta: a más tardar el 16 de abril de 2026, según la ley «Texas "
        "Data Privacy and Security Act»."
    ),
    (
        "OTHER",
        "en",
    ): "When to expect an answer: imgwg Communications sets the date: by 16 March 2026.",
    ("OTHER", "es"): (
        "Cuándo esperar una respuesta: imgwg Communications fija la fecha: a más tardar el 16 de "
        "marzo de 2026."
    ),
}
WHY_CHECKED = {"FR": "policy", "GB": "policy", "US-CA": "ccpa", "OTHER": "policy"}
CONFIRMED = {
    "en": (
        "Thank you: you have confirmed the email address of your request {ref} to imgwg "
        "Communications. This confirms only that you read this mailbox, not who you are."
    ),
    "es": (
        "Gracias: ha confirmado la dirección de correo de su solicitud {ref} a imgwg "
        "Communications. Esto solo confirma que usted lee este buzón, no su identidad."
    ),
}
NEVER = [
    "no law",
    "ninguna ley",
    "is confirmed.",
    "identity is verified",
    "counts from the day you confirm",
    "assumes you confirm",
]


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """``send(slug, residence, lang)``: the confirmation email, then the "confirmed" one."""

    def post(slug: str, residence: str, lang: str) -> tuple[mail.EmailMessage, mail.EmailMessage]:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/o/{slug}/request/", form_data(residence=residence), HTTP_ACCEPT_LANGUAGE=lang
            )
        deliver_outbox()
        (acknowledgement,) = mail.outbox
        with django_capture_on_commit_callbacks(execute=True):
            client.post(link_in(acknowledgement, "confirm"))
        deliver_outbox()
        confirmed = mail.outbox[-1]
        assert len(mail.outbox) == 2
        return acknowledgement, confirmed

    return post


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("residence", ["FR", "GB", "US-CA", "US-VA", "US-TX", "OTHER"])
def test_the_acknowledgement_and_the_confirmation_for_each_law(seeds, send, residence, lang):
    acknowledgement, confirmed = send("imgwg", residence, lang)

    ref = PrivacyRequest.objects.get().reference
    assert ref in acknowledgement.subject
    body = acknowledgement.body
    assert RECEIVED[lang].format(org="imgwg Communications") in body
    assert CONFIRM_ONLY[lang] in body
    assert link_in(acknowledgement, "confirm").startswith("/o/imgwg/confirm/")
    assert IDENTITY[(WHY_CHECKED.get(residence, residence), lang)] in body
    assert ANSWER[(residence, lang)] in body
    html = acknowledgement.alternatives[0][0]
    assert f'<html lang="{lang}">' in html
    assert ANSWER[(residence, lang)] in html

    assert CONFIRMED[lang].format(ref=ref) in confirmed.body
    assert IDENTITY[(WHY_CHECKED.get(residence, residence), lang)] in confirmed.body
    assert ANSWER[(residence, lang)] in confirmed.body
    assert link_in(confirmed, "status").startswith("/o/imgwg/status/")
    for message in (acknowledgement, confirmed):
        for words in NEVER:
            assert words not in message.body


@pytest.mark.parametrize(
    ("lang", "subject", "ask", "answer"),
    [
        (
            "en",
            "We received your request {ref} to Incident Management Group: please confirm your "
            "email address",
            "If Incident Management Group needs to make sure that the request comes from you, it "
            "will ask you for what it needs.",
            "When to expect an answer: by 2 April 2026, as the privacy policy promises "
            '("one month").',
        ),
        (
            "es",
            "Hemos recibido su solicitud {ref} a Incident Management Group: confirme su dirección "
            "de correo",
            "Si Incident Management Group necesita asegurarse de que la solicitud procede de "
            "usted, le pedirá lo que necesite.",
            "Cuándo esperar una respuesta: a más tardar el 2 de abril de 2026, como promete la "
            'política de privacidad ("one month").',
        ),
    ],
)
def test_a_promise_is_said_as_a_promise(img, send, lang, subject, ask, answer):
    # An "elsewhere" requester at IMG: its one-month promise, no law; no identity check required.
    acknowledgement, confirmed = send("img", "OTHER", lang)

    assert acknowledgement.subject == subject.format(ref="IMG-2026-00001")
    assert ask in acknowledgement.body
    assert answer in acknowledgement.body
    assert answer in confirmed.body


def test_a_virginian_at_img_is_told_the_promise_and_the_state_laws_check(img, send):
    acknowledgement, _confirmed = send("img", "US-VA", "en")

    assert (
        "The Virginia Consumer Data Protection Act lets Incident Management Group act on this "
        "request only once it has checked that the request comes from you."
    ) in acknowledgement.body
    assert (
        'When to expect an answer: by 2 April 2026, as the privacy policy promises ("one month").'
        in acknowledgement.body
    )


def test_the_confirmed_email_says_the_address_is_confirmed(img, send):
    _acknowledgement, confirmed = send("img", "FR", "en")

    assert confirmed.subject == "Your email address is confirmed: request IMG-2026-00001"
    html = confirmed.alternatives[0][0]
    assert "This confirms only that you read this mailbox, not who you are." in html
    assert "by 2 April 2026 under the GDPR" in html
