"""Who may see whom: the scoping selectors every listing, object view and export uses.

DESIGN.md section 5 as querysets. Each function takes the requesting user and returns
the people (a `User` queryset) whose data of one kind that user may see; callers filter
their own records with `person__in=…` or an equivalent join. Refusals are then a matter
of the object not being found (404), never of a template hiding it.

Supervisors see the people they currently supervise through an arrangement. The
relation is followed by name (`supervisee_arrangements`), so `people` stays free of
imports from `supervision`.
"""

from enum import Enum

from django.db.models import Q
from django.utils import timezone

from . import roles
from .models import User


class Sees(Enum):
    """What is being looked at, in the rows of DESIGN.md section 5."""

    STATUS = "training statuses, dates, session dates"
    EVIDENCE = "evidence files"
    CERTIFICATES = "certificate PDFs and the passport"
    HISTORY = "audit history"


# Which roles reach beyond the person themself, for each kind of data.
_REACH = {
    Sees.STATUS: {roles.SUPERVISOR, roles.MANAGER, roles.SERVICE_LEAD},
    Sees.EVIDENCE: {roles.MANAGER},
    Sees.CERTIFICATES: {roles.SUPERVISOR, roles.MANAGER},
    Sees.HISTORY: {roles.MANAGER},
}


def supervisee_filter(supervisor, today=None):
    """Q on User: people with an arrangement supervised by `supervisor` in force today."""
    today = today or timezone.localdate()
    return Q(
        supervision_arrangements__supervisor=supervisor,
        supervision_arrangements__starts_on__lte=today,
    ) & (
        Q(supervision_arrangements__ends_on__isnull=True)
        | Q(supervision_arrangements__ends_on__gte=today)
    )


def people_visible_to(user, sees=Sees.STATUS, today=None):
    """The people whose `sees` data `user` may look at (nobody, once `user` has left)."""
    if not roles.is_current(user):
        return User.objects.none()
    reach = _REACH[sees]
    if user.is_superuser or (roles.MANAGER in reach and roles.is_manager(user)):
        return User.objects.all()
    condition = Q(pk=user.pk)
    if roles.SUPERVISOR in reach and roles.is_supervisor(user):
        condition |= supervisee_filter(user, today)
    if roles.SERVICE_LEAD in reach and roles.is_service_lead(user) and user.service_id:
        condition |= Q(service_id=user.service_id, groups__name=roles.PSW)
    return User.objects.filter(pk__in=User.objects.filter(condition).values("pk"))


def can_see_person(user, person, sees=Sees.STATUS, today=None):
    return people_visible_to(user, sees, today).filter(pk=person.pk).exists()


def psws(day=None):
    """Peer support workers in post on `day` (all in post when no day is given)."""
    queryset = User.objects.filter(groups__name=roles.PSW, is_active=True)
    if day is not None:
        queryset = queryset.filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
    return queryset.distinct()
