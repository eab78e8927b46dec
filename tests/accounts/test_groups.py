"""The group map: read as documented, strongest role wins, and refused at startup when wrong."""

from __future__ import annotations

import pytest

from dsar.accounts import groups
from dsar.accounts.checks import check_oidc_settings
from dsar.organizations.models import Role


def test_the_map_reads_group_path_organization_and_role():
    grants = groups.parse(" a=img:privacy_officer , /x/y=imt:auditor,a=imt:handler,")
    assert [(g.group, g.organization, g.role) for g in grants] == [
        ("a", "img", Role.PRIVACY_OFFICER),
        ("/x/y", "imt", Role.AUDITOR),
        ("a", "imt", Role.HANDLER),
    ]
    assert groups.managed_organizations(grants) == {"img", "imt"}


def test_the_strongest_role_wins():
    grants = groups.parse("audit=img:auditor,ops=img:handler,dpo=img:privacy_officer")
    assert groups.roles_for(["audit", "ops"], grants) == {"img": Role.HANDLER}
    assert groups.roles_for(["ops", "dpo", "audit"], grants) == {"img": Role.PRIVACY_OFFICER}
    assert groups.roles_for(["nobody"], grants) == {}


@pytest.mark.parametrize("text", ["a=img", "img:handler", "a=img:admin", "=img:handler"])
def test_a_wrong_entry_is_refused(text):
    with pytest.raises(groups.GroupMapError):
        groups.parse(text)


def test_half_a_configuration_fails_the_system_check(settings):
    settings.DSAR_OIDC_ISSUER = "http://idp.example.org"
    settings.DSAR_OIDC_CLIENT_ID = ""
    settings.DSAR_OIDC_GROUP_MAP = "a=img:boss"
    ids = {message.id for message in check_oidc_settings()}
    assert ids == {"accounts.E001", "accounts.E003", "accounts.E004"}
    settings.DSAR_OIDC_ISSUER = ""
    assert check_oidc_settings() == []
