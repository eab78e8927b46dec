import pytest
from django.core import mail

from dsar.lib.emails import make_message, send


@pytest.fixture
def email_templates(tmp_path, settings):
    folder = tmp_path / "emails"
    folder.mkdir()
    (folder / "hello.subject.txt").write_text("Hello\n{{ name }}\n")
    (folder / "hello.txt").write_text("Dear {{ name }},\n")
    (folder / "plain.subject.txt").write_text("Plain")
    (folder / "plain.txt").write_text("Only text")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
        }
    ]


def test_it_strips_newlines_from_the_subject(email_templates):
    message = make_message("hello", to=["a@example.org"], context={"name": "X\nBcc: evil@x"})

    assert "\n" not in message.subject
    assert message.subject == "Hello X Bcc: evil@x"


def test_it_sends_text_only_when_there_is_no_html_template(email_templates):
    assert send("plain", to=["a@example.org"], context={}) == 1

    assert mail.outbox[0].body == "Only text"
    assert mail.outbox[0].alternatives == []


def test_it_attaches_files(email_templates):
    send(
        "plain",
        to=["a@example.org"],
        context={},
        attachments=[("l.pdf", b"%PDF", "application/pdf")],
    )

    assert mail.outbox[0].attachments[0][0] == "l.pdf"
