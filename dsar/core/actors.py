"""Who acts: the type every service takes for the acting user, and how a staff view gets one.

Services write who did what to the audit trail (``dsar.requests.events``), so they take the
acting staff member as ``actor``: a ``User``, or ``None`` when the system acts (a scheduled job,
the public form, an API key named by ``events.acting_as``). Foreign keys such as
``RequestEvent.actor`` point at ``User``, so an ``AbstractBaseUser`` or an ``AnonymousUser``
must not reach them: the type checker holds services and views to that.

A staff page or an admin action only runs for a signed-in staff member (``staff_member_required``,
the admin site), yet ``request.user`` is typed ``User | AnonymousUser``. ``staff_user`` says
which one it is, and refuses rather than write an anonymous actor if a page were ever wired
without its login check.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

Actor = User | None


def staff_user(request: HttpRequest) -> User:
    """The signed-in user of a staff page or admin action; ``PermissionDenied`` (403) if none."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
