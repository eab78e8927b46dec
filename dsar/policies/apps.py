from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """What each organization's privacy policy promises: rights, channels and their conditions."""

    name = "dsar.policies"
    verbose_name = _("Policies")
