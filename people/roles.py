"""The roles people hold, as Django group names, and how to read them."""

from django.contrib.auth.models import Group
from django.utils import timezone

PSW = "Peer support worker"
SUPERVISOR = "Supervisor"
MANAGER = "Manager"
SERVICE_LEAD = "Service lead"

ALL = (PSW, SUPERVISOR, MANAGER, SERVICE_LEAD)


def is_current(user):
    """Signed in, active and not yet gone: a leaver holds no role from the day after."""
    return user.is_authenticated and user.is_active and not user.has_left(timezone.localdate())


def role_names(user):
    """The set of role names a user holds; cached on the user object for the request."""
    if not is_current(user):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, role):
    return role in role_names(user)


def is_psw(user):
    return has_role(user, PSW)


def is_supervisor(user):
    return has_role(user, SUPERVISOR)


def is_manager(user):
    """Managers see the whole organisation; administrators (superusers) do too."""
    return is_current(user) and (user.is_superuser or has_role(user, MANAGER))


def is_service_lead(user):
    return has_role(user, SERVICE_LEAD)


def group(role):
    return Group.objects.get(name=role)
