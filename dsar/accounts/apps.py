from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff sign-in: single sign-on through OpenID Connect beside local accounts (docs/sso.md)."""

    name = "dsar.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from dsar.accounts import checks  # noqa: F401 - registers the system checks

        # The staff login page offers single sign-on beside the password form, when configured.
        admin.site.login_template = "accounts/login.html"
