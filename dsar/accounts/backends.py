"""The password backend of staff sign-in: Django's ``ModelBackend``, asking the database less on
every staff page.

Each staff page used to read the user's permissions in two queries (the user's own, then their
groups') and, for a session not verified with a second factor, whether the user has an
authenticator app (``second_factor.has_device``) in a third. The request page reads the panels
of six apps besides, and the staff page target is fewer than 15 queries (bench/request_page.py),
so these two reads are folded:

- ``get_all_permissions`` reads the user's own and their groups' permissions in one query;
- ``get_user`` (called once per request by the authentication middleware) reads, with the user,
  the id of their confirmed authenticator app, which ``has_device`` then uses instead of asking.

The permissions and the answers stay exactly Django's: a superuser has every active permission,
an inactive user none, and nothing is cached beyond the request (the user object is new each
request), so a permission taken away or an app enrolled in another session counts on the very
next page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import OuterRef, Q, Subquery
from django_otp.plugins.otp_totp.models import TOTPDevice

#: The attribute ``get_user`` leaves on the user: their confirmed app's id, or None.
APP_DEVICE_ID = "_confirmed_app_device_id"


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        confirmed_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True).values("pk")
        user = (
            get_user_model()
            ._default_manager.annotate(**{APP_DEVICE_ID: Subquery(confirmed_app[:1])})
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                permissions = Permission.objects.all()
            else:
                permissions = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache


def known_app_device(user: Any) -> tuple[bool, bool]:
    """Whether ``get_user`` read the user's app, and whether they have one."""
    if hasattr(user, APP_DEVICE_ID):
        return True, getattr(user, APP_DEVICE_ID) is not None
    return False, False
