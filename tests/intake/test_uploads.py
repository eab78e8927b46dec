"""An authorized agent's signed authorization: checked by its bytes and size, stored privately."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart

from dsar.intake import files
from dsar.intake.models import IntakeSubmission
from dsar.requests.models import PrivacyRequest

from .conftest import JPEG, PDF, PNG, form_data

pytestmark = pytest.mark.django_db


def agent(**overrides):
    return {"acting_for": "agent", "name": "Alex Agent", "subject_name": "Dana Data", **overrides}


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("auth.pdf", PDF, "application/pdf"),
        ("auth.png", PNG, "image/png"),
        ("scan.jpeg", JPEG, "image/jpeg"),
        # The name and the declared type are the sender's claims; the bytes decide.
        ("auth.txt", PDF, "application/pdf"),
    ],
)
def test_it_accepts_pdf_png_and_jpeg_by_their_bytes(
    img, submit, name, content, content_type, settings
):
    submit(img, **agent(authorization=SimpleUploadedFile(name, content, "text/plain")))

    submission = IntakeSubmission.objects.get()
    assert submission.authorization_type == content_type
    stored = files.resolve_private(submission.authorization_path)
    assert stored.read_bytes() == content
    assert settings.PRIVATE_STORAGE_ROOT in stored.parents
    assert stored.stat().st_mode & 0o077 == 0
    assert name not in submission.authorization_path  # a random name, not the sender's


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("auth.pdf", b"<html><script>alert(1)</script></html>"),
        ("auth.pdf", b"GIF89a" + b"\x00" * 20),
        ("auth.png", b"MZ\x90\x00 an executable"),
        ("auth.pdf", b" %PDF-1.7 with a space first"),
    ],
)
def test_it_refuses_other_types_whatever_their_name(img, submit, name, content):
    response = submit(
        img, **agent(authorization=SimpleUploadedFile(name, content, "application/pdf"))
    )

    assert response.status_code == 200
    assert response.context["form"].errors["authorization"] == [
        "The authorization must be a PDF, PNG or JPEG file."
    ]
    assert not PrivacyRequest.objects.exists()
    assert not list(files.private_root().rglob("*.*"))


def test_it_refuses_a_file_over_the_limit(img, submit, settings):
    settings.DSAR_INTAKE_MAX_UPLOAD_BYTES = 1000
    big = PDF + b"0" * 1000

    response = submit(img, **agent(authorization=SimpleUploadedFile("auth.pdf", big)))

    assert "at most 1000" in response.context["form"].errors["authorization"][0]
    assert not PrivacyRequest.objects.exists()


def test_a_file_at_the_limit_is_accepted(img, submit, settings):
    settings.DSAR_INTAKE_MAX_UPLOAD_BYTES = 1000
    exact = PDF + b"0" * (1000 - len(PDF))

    submit(img, **agent(authorization=SimpleUploadedFile("auth.pdf", exact)))

    assert IntakeSubmission.objects.get().authorization_size == 1000


def test_the_default_limit_is_five_megabytes(img, submit):
    big = PDF + b"0" * (5 * 1024 * 1024)

    response = submit(img, **agent(authorization=SimpleUploadedFile("auth.pdf", big)))

    assert "5.0" in response.context["form"].errors["authorization"][0]


def test_a_huge_upload_is_cut_short_and_the_fields_after_it_still_read(img, client, settings):
    settings.DSAR_INTAKE_MAX_UPLOAD_BYTES = 1000
    # The file comes first in the body; the fields after it must survive the cut.
    body = encode_multipart(
        "BoUnDaRy",
        {
            "authorization": SimpleUploadedFile("auth.pdf", PDF + b"0" * 3_000_000),
            **form_data(**agent(message="typed after the file")),
        },
    )

    response = client.post(
        "/o/img/request/", body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )

    form = response.context["form"]
    assert "authorization" in form.errors
    assert form["message"].value() == "typed after the file"
    assert form["subject_name"].value() == "Dana Data"


def test_the_cap_keeps_limit_plus_one_bytes():
    handler = files.CappedUploadHandler(10)
    handler.new_file("f", "f", "application/pdf", 100)

    kept = [handler.receive_data_chunk(b"x" * 6, 0) for _ in range(3)]

    assert kept == [b"x" * 6, b"x" * 5, None]


def test_an_agent_must_attach_the_authorization(img, submit):
    response = submit(img, **agent())

    assert response.context["form"].errors["authorization"] == [
        "Attach the signed authorization of the person you act for."
    ]


def test_a_valid_file_is_kept_while_another_field_is_corrected(img, submit):
    first = submit(img, **agent(email="", authorization=SimpleUploadedFile("auth.png", PNG)))

    assert "email" in first.context["form"].errors
    kept_token = first.context["kept_token"]
    assert kept_token and "auth.png" in first.content.decode()
    second = submit(img, **agent(authorization_kept=kept_token))

    assert second.status_code == 302
    submission = IntakeSubmission.objects.get()
    assert submission.authorization_type == "image/png"
    assert files.resolve_private(submission.authorization_path).read_bytes() == PNG
    assert not list((files.private_root() / "intake" / "pending").iterdir())


def test_a_forged_kept_file_token_is_ignored(img, submit):
    response = submit(img, **agent(authorization_kept="intake/pending/../../etc/passwd"))

    assert "authorization" in response.context["form"].errors


def test_the_agent_fields_are_ignored_for_oneself(img, submit):
    submit(img, authorization=SimpleUploadedFile("auth.pdf", PDF), subject_name="Someone")

    submission = IntakeSubmission.objects.get()
    assert submission.authorization_path == ""
    assert not submission.request.is_agent
    assert submission.request.requester_name == "Dana Data"


def test_private_paths_cannot_leave_the_private_folder():
    for bad in ["../x", "/etc/passwd", "", "intake/../../x"]:
        with pytest.raises(ValueError):
            files.resolve_private(bad)


def test_staff_of_the_organization_download_the_authorization(
    img, submit, client, django_user_model
):
    from dsar.organizations.models import Membership, Role

    submit(img, **agent(authorization=SimpleUploadedFile("auth.pdf", PDF)))
    submission = IntakeSubmission.objects.get()
    path = f"/o/img/authorizations/{submission.pk}/"
    assert client.get(path).status_code == 302  # to the staff sign-in
    outsider = django_user_model.objects.create_user("mallory", is_staff=True)
    client.force_login(outsider)
    assert client.get(path).status_code == 404
    Membership.objects.create(user=outsider, organization=img, role=Role.HANDLER)

    response = client.get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
