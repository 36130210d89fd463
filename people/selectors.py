"""Who sees what: the one access policy, as functions every app asks.

The table "Who sees what" in docs/architecture.md as querysets and yes/no answers. Each
scoping function takes the requesting user and returns the people (a `User` queryset)
whose data of one kind that user may see; callers filter their own records with
`person__in=…` or an equivalent join. Refusals are then a matter of the object not
being found (404), never of a template hiding it. `people.policies` turns the yes/no
answers into Wagtail's permission policy for the staff workspace.

A supervisor's reach is one thing: the people with an arrangement they hold in force
today (`supervisees_of`). Supervision records are a second, narrower matter: the
arrangements a person is party to, as supervisee or as supervisor, past or present
(`arrangement_filter`). Relations are followed by name (`supervision_arrangements`),
so `people` stays free of imports from `supervision`.
"""

from enum import Enum

from django.db.models import Q
from django.utils import timezone

from . import roles, rules
from .models import Placement, Service, User


class Sees(Enum):
    """What is being looked at, in the rows of docs/architecture.md, Who sees what."""

    STATUS = "training statuses, dates, supervision statuses"
    EVIDENCE = "evidence files"
    CERTIFICATES = "certificate PDFs and the passport"
    HISTORY = "audit history"
    SESSIONS = "session dates, format and status"
    NOTES = "session notes and actions"
    FLAGS = "safeguarding flags"
    REASONS = "exemption reasons"


# Which roles reach beyond the person themself, for each kind of data.
_REACH = {
    Sees.STATUS: {roles.SUPERVISOR, roles.MANAGER, roles.SERVICE_LEAD},
    Sees.EVIDENCE: {roles.MANAGER},
    Sees.CERTIFICATES: {roles.SUPERVISOR, roles.MANAGER},
    Sees.HISTORY: {roles.MANAGER},
    # A supervisor sees sessions as a party to the arrangement (`arrangement_filter`).
    Sees.SESSIONS: {roles.MANAGER, roles.SERVICE_LEAD},
    Sees.NOTES: set(),
    Sees.FLAGS: {roles.MANAGER},
    Sees.REASONS: {roles.MANAGER},
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
    if sees_everyone(user, sees):
        return User.objects.all()
    condition = Q(pk=user.pk)
    if roles.SUPERVISOR in reach and roles.is_supervisor(user):
        condition |= supervisee_filter(user, today)
    if roles.SERVICE_LEAD in reach and service_led_by(user):
        condition |= service_member_filter(user.service_id, today)
    return User.objects.filter(pk__in=User.objects.filter(condition).values("pk"))


def sees_everyone(user, sees=Sees.STATUS):
    """Whether `user` may look at everyone's `sees` data: a current manager (or
    administrator: they see what managers see, and no more; notes are never theirs)."""
    return roles.is_current(user) and roles.MANAGER in _REACH[sees] and roles.is_manager(user)


def service_led_by(user):
    """The service `user` leads, or None: a current service lead with a service."""
    if roles.is_service_lead(user) and user.service_id:
        return user.service
    return None


def service_member_filter(service_id, today=None):
    """Q on User: the peer support workers working in the service on `today` (its own
    and those placed in it): a service lead's reach ("own service" in
    docs/architecture.md, Who sees what)."""
    works_here = works_in_filter(service_id, today or timezone.localdate())
    return works_here & Q(groups__name=roles.PSW)


def service_members(user, today=None):
    """The peer support workers of the service `user` leads (nobody for anyone else).

    The same people `people_visible_to` lets a service lead see, without the people a
    lead who also supervises sees as a supervisor: the service's own pages list these.
    """
    if not roles.is_current(user) or not service_led_by(user):
        return User.objects.none()
    members = User.objects.filter(service_member_filter(user.service_id, today))
    return User.objects.filter(pk__in=members.values("pk"))


def can_see_person(user, person, sees=Sees.STATUS, today=None):
    return people_visible_to(user, sees, today).filter(pk=person.pk).exists()


def psws(day=None):
    """Peer support workers in post on `day` (all in post when no day is given)."""
    return User.objects.filter(psw_filter(day)).distinct()


def psw_filter(day=None):
    """Q on User: a peer support worker in post on `day` (active, when no day is given).
    As a join on the group: a person is in it once, so it repeats no one."""
    condition = Q(groups__name=roles.PSW, is_active=True)
    return condition if day is None else condition & in_post_filter(day)


def in_post_filter(day, prefix=""):
    """Q on User (or, with `prefix`, a model pointing to one): people.rules.in_post."""
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": day})
    )


def placement_filter(service_id, day, prefix=""):
    """Q on placements (or, with `prefix`, a model pointing to one): in `service_id`,
    in force on `day` (people.rules.placement_covers)."""
    return Q(
        **{f"{prefix}service_id": service_id, f"{prefix}starts_on__lte": day},
    ) & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))


def works_in_filter(service_id, day):
    """Q on User: people whose home service is `service_id` or who are placed in it on
    `day` (people.rules.services_on). A subquery, so no join multiplies the rows."""
    placed = Placement.objects.filter(placement_filter(service_id, day)).values("person_id")
    return Q(service_id=service_id) | Q(pk__in=placed)


def placements_on(person_ids, day):
    """{person id: [Placement in force on `day`]}, with their services: one query."""
    found = {}
    in_force = Placement.objects.filter(person_id__in=person_ids, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    for placement in in_force.select_related("service"):
        found.setdefault(placement.person_id, []).append(placement)
    return found


def placement_facts(person_ids):
    """{person id: [people.rules.Placement]}: every placement of these people, past,
    present and future, as the rules take them. One query."""
    found = {}
    rows = Placement.objects.filter(person_id__in=person_ids).order_by("starts_on", "pk")
    for person_id, service_id, starts_on, ends_on in rows.values_list(
        "person_id", "service_id", "starts_on", "ends_on"
    ):
        found.setdefault(person_id, []).append(rules.Placement(service_id, starts_on, ends_on))
    return found


def supervisees_of(supervisor, today=None):
    """ "My supervisees": the people `supervisor` supervises through an arrangement in
    force on `today`."""
    return User.objects.filter(
        pk__in=User.objects.filter(supervisee_filter(supervisor, today)).values("pk")
    )


def arrangement_filter(user, sees, prefix=""):
    """Q on supervision arrangements (or, with `prefix`, on a model that points to one):
    those of the people whose `sees` data `user` may see, and those `user` is party to
    as supervisee or supervisor."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return Q(**{f"{prefix}supervisee__in": people_visible_to(user, sees)}) | Q(
        **{f"{prefix}supervisee": user.pk, f"{prefix}supervisor": user.pk}, _connector=Q.OR
    )


def confirms_for_absent_supervisors(user):
    """Managers confirm the sessions of arrangements whose supervisor has no account."""
    return roles.is_manager(user)


def reads_team_training(user):
    """Team training in the staff workspace: managers and supervisors (a service lead
    reads their service on its own pages, compliance/service_views.py)."""
    return roles.is_manager(user) or roles.is_supervisor(user)


def services_visible_to(user):
    if roles.is_manager(user):
        return Service.objects.all()
    if roles.is_service_lead(user) and user.service_id:
        return Service.objects.filter(pk=user.service_id)
    return Service.objects.none()
