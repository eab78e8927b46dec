from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """The controllers: organizations whose privacy policies promise rights, and their staff."""

    name = "dsar.organizations"
    verbose_name = _("Organizations")
