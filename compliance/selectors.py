"""Who may look at compliance across people, and over whom."""

from people import roles
from people.models import Service
from people.selectors import Sees, people_visible_to


def can_see_matrix(user):
    """Managers see the organisation; service leads their service. Others: no matrix."""
    return roles.is_manager(user) or (roles.is_service_lead(user) and bool(user.service_id))


def compliance_scope(user):
    """The people whose statuses `user` may see (the matrix keeps the PSWs among them)."""
    return people_visible_to(user, Sees.STATUS)


def services_visible_to(user):
    if roles.is_manager(user):
        return Service.objects.all()
    if roles.is_service_lead(user) and user.service_id:
        return Service.objects.filter(pk=user.service_id)
    return Service.objects.none()
