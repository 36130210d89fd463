"""The two doors (docs/architecture.md, "Two doors"): where each person lands after
signing in, and who uses the staff workspace.

Managers, administrators and page editors work in the staff workspace. Peer support
workers, supervisors and service lead have pages of their own and land on them. One
function answers "where do you work?" so the sign-in page, the header link and the
workspace's door all agree.
"""

from django.urls import Resolver404, resolve, reverse
from wagtail.permission_policies.pages import PagePermissionPolicy

from people import roles


def edits_pages(user):
    """Page editors (administrators, and managers who keep the module pages)."""
    if not roles.is_current(user):
        return False
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


def uses_staff_workspace(user):
    return roles.is_manager(user) or edits_pages(user)


def site_roles(user):
    """The sets of site pages a person uses, in the order their header lists them.
    Managers and page editors work in the staff workspace and use none of them."""
    if not roles.is_current(user) or uses_staff_workspace(user):
        return []
    checks = (
        ("psw", roles.is_psw),
        ("supervisor", roles.is_supervisor),
        ("service_lead", roles.is_service_lead),
    )
    return [name for name, holds in checks if holds(user)]


def landing_url(user):
    """A person's own first page: the staff workspace, or their own page on the site."""
    if uses_staff_workspace(user):
        return reverse("wagtailadmin_home")
    if roles.is_psw(user):
        return reverse("me:today")
    if roles.is_supervisor(user):
        return reverse("supervision:supervisees")
    if roles.is_service_lead(user):
        return reverse("compliance:service")
    return "/"


def site_version(user, path):
    """The site page that took over the staff workspace page at `path` for `user`, or
    None: a supervisor's "Team training" is their supervisees' training on the site, a
    service lead's is their service's people."""
    try:
        view_name = resolve(path).view_name
    except Resolver404:
        return None
    if view_name != "training_admin:team":
        return None
    if roles.is_supervisor(user):
        return reverse("compliance:supervisee_training")
    if roles.is_service_lead(user):
        return reverse("compliance:service_people")
    return None
