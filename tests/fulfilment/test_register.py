"""The register: edited by privacy officers in the staff pages, every change recorded, and
imported (all rows or none) and exported (formula-safe) as CSV."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dsar.fulfilment import register
from dsar.fulfilment.models import AppendOnlyError, Recipient, RegisterChange, System

pytestmark = pytest.mark.django_db

SYSTEMS_CSV = (
    "name,kind,owner,data_categories,rights,retention,location,connector,dsn_env,access_query\r\n"
    "Zoho CRM,processor,alice,Contact Data; Order history,access; erasure,6 years,EU,none,,\r\n"
    "Shop,in_house,,Order history,access,7 years,US,postgresql,SHOP_DB_URL,"
    '"SELECT * FROM customers WHERE email = %(email)s"\r\n'
)


def test_a_privacy_officer_adds_a_system_in_the_staff_pages_and_it_is_recorded(
    client: Any, img: Any, olivia: Any, alice: Any
) -> None:
    client.force_login(olivia)

    response = client.post(
        reverse("admin:fulfilment_system_add"),
        {
            "organization": img.pk,
            "name": "Zoho CRM",
            "kind": "processor",
            "owner": alice.pk,
            "rights": ["access", "erasure"],
            "data_categories": "Contact Data",
            "connector": "none",
            "timeout_seconds": 30,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    system = System.objects.get(name="Zoho CRM")
    assert system.rights == ["access", "erasure"]
    change = RegisterChange.objects.get()
    assert (change.action, change.actor, change.before) == ("created", olivia, None)
    assert change.after["owner"] == "alice"

    client.post(
        reverse("admin:fulfilment_system_change", args=[system.pk]),
        {
            "organization": img.pk,
            "name": "Zoho CRM",
            "kind": "processor",
            "owner": alice.pk,
            "rights": ["access"],
            "data_categories": "Contact Data",
            "connector": "none",
            "timeout_seconds": 30,
        },
    )
    changed = RegisterChange.objects.filter(action="changed").get()
    assert (changed.before["rights"], changed.after["rights"]) == (
        ["access", "erasure"],
        ["access"],
    )
    with pytest.raises(AppendOnlyError):
        changed.delete()


def test_a_handler_reads_the_register_but_cannot_change_it(
    client: Any, img: Any, alice: Any, make_system: Any
) -> None:
    system = make_system("Zoho CRM")
    client.force_login(alice)

    assert client.get(reverse("admin:fulfilment_system_changelist")).status_code == 200
    response = client.post(
        reverse("admin:fulfilment_system_change", args=[system.pk]),
        {
            "organization": img.pk,
            "name": "Renamed",
            "kind": "in_house",
            "connector": "none",
            "timeout_seconds": 30,
        },
    )
    assert response.status_code == 403
    assert System.objects.get().name == "Zoho CRM"


def test_importing_systems_creates_them_and_records_each(img: Any, olivia: Any, alice: Any) -> None:
    result = register.import_systems_csv(organization=img, content=SYSTEMS_CSV, actor=olivia)

    assert (result.created, result.changed) == (2, 0)
    crm = System.objects.get(name="Zoho CRM")
    assert crm.owner == alice
    assert crm.category_list == ["Contact Data", "Order history"]
    assert crm.rights == ["access", "erasure"]
    assert System.objects.get(name="Shop").dsn_env == "SHOP_DB_URL"
    assert RegisterChange.objects.filter(action="imported").count() == 2

    again = register.import_systems_csv(organization=img, content=SYSTEMS_CSV, actor=olivia)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)


def test_one_bad_row_refuses_the_whole_import_with_each_rows_errors(img: Any, olivia: Any) -> None:
    bad = (
        SYSTEMS_CSV
        + "Mailer,vendor,nobody,,access; telepathy,,,,,\r\n"
        + 'Leaky,in_house,,,access,,,postgresql,postgres://u:pw@db/x,"SELECT 1"\r\n'
    )

    with pytest.raises(register.ImportRefused) as refused:
        register.import_systems_csv(organization=img, content=bad, actor=olivia)

    errors = "\n".join(refused.value.errors)
    assert "Row 4: rights: unknown telepathy" in errors
    assert "Row 4: owner: nobody is not a member" in errors
    assert "Row 4: kind:" in errors
    assert "Row 5: dsn_env:" in errors
    assert "Row 5: access_query:" in errors
    assert not System.objects.exists()  # not even the good rows
    assert not RegisterChange.objects.exists()


def test_export_neutralizes_formulas_and_imports_back_unchanged(
    img: Any, olivia: Any, alice: Any
) -> None:
    register.import_systems_csv(organization=img, content=SYSTEMS_CSV, actor=olivia)
    System.objects.filter(name="Shop").update(retention='=HYPERLINK("http://evil")')

    exported = register.export_csv(img)

    assert "'=HYPERLINK" in exported
    result = register.import_systems_csv(organization=img, content=exported, actor=olivia)
    assert result.unchanged == 2
    assert System.objects.get(name="Shop").retention == '=HYPERLINK("http://evil")'


def test_recipients_import_names_their_systems(img: Any, olivia: Any, alice: Any) -> None:
    register.import_systems_csv(organization=img, content=SYSTEMS_CSV, actor=olivia)
    content = (
        "name,category,contact_email,systems\r\n"
        "Stripe,payment processor,privacy@stripe.example,Shop\r\n"
        "Acme Ads,marketing partner,,Zoho CRM; Shop\r\n"
    )

    register.import_recipients_csv(organization=img, content=content, actor=olivia)

    acme = Recipient.objects.get(name="Acme Ads")
    assert sorted(s.name for s in acme.systems.all()) == ["Shop", "Zoho CRM"]
    with pytest.raises(register.ImportRefused, match="Row 2: systems: Billing not in the register"):
        register.import_recipients_csv(
            organization=img, content="name,systems\r\nX,Billing\r\n", actor=olivia
        )
    assert register.export_recipients_csv(img).splitlines()[1].startswith("Acme Ads,")


def test_the_import_page_lists_the_errors(client: Any, img: Any, olivia: Any) -> None:
    client.force_login(olivia)

    response = client.post(
        reverse("admin:fulfilment_system_import"),
        {
            "organization": img.pk,
            "what": "systems",
            "file": SimpleUploadedFile("r.csv", b"name,rights\r\nCRM,telepathy\r\n", "text/csv"),
        },
    )

    assert response.status_code == 200
    assert "Row 2: rights: unknown telepathy" in response.content.decode()
    assert not System.objects.exists()


def test_the_export_is_a_download_for_members_only(
    client: Any, img: Any, imt: Any, olivia: Any, make_system: Any
) -> None:
    make_system("Zoho CRM")
    client.force_login(olivia)

    response = client.get(reverse("admin:fulfilment_system_export", args=[img.pk, "systems"]))
    assert response["Content-Disposition"] == 'attachment; filename="img-systems.csv"'
    assert "Zoho CRM" in response.content.decode("utf-8-sig")
    other = client.get(reverse("admin:fulfilment_system_export", args=[imt.pk, "systems"]))
    assert other.status_code == 404
