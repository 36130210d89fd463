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
from people.selectors import service_members, supervisees_of
from training.selectors import own_records


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
    None (the workspace's view then decides). The account page is the site's; a
    supervisor's "Team training" and "Certificates" are their supervisees' training
    and certificates on the site; a PSW's certificates and own training records are
    My training; a person's record is the PSW's own training page, or the person's
    place on the supervisor's or the service lead's pages when the person is theirs."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name == "wagtailadmin_account":
        return reverse("me:account")
    if name == "training_admin:team" and roles.is_supervisor(user):
        return reverse("compliance:supervisee_training")
    if name == "certificates_admin:index" and roles.is_supervisor(user):
        return reverse("certificates:supervisees")
    if name in ("certificates_admin:index", "training-records:index") and roles.is_psw(user):
        return reverse("me:training")
    if name in ("training-records:inspect", "training-records:history"):
        return own_record_page(user, match.kwargs.get("pk"))
    if name == "compliance_admin:person":
        return person_page(user, match.kwargs.get("pk"))
    return None


def own_record_page(user, pk):
    """A PSW's own training record on My training, or None (the workspace's view then
    answers, with a 404 for anyone else's)."""
    if roles.is_psw(user) and own_records(user).filter(pk=pk).exists():
        return reverse("me:training") + f"#record-{pk}"
    return None


def person_page(user, pk):
    """Where on the site `user` reads the person `pk`, or None when nowhere."""
    if roles.is_psw(user) and pk == user.pk:
        return reverse("me:training")
    if roles.is_supervisor(user) and supervisees_of(user).filter(pk=pk).exists():
        return reverse("compliance:supervisee_training") + f"#person-{pk}"
    if roles.is_service_lead(user) and service_members(user).filter(pk=pk).exists():
        return reverse("compliance:service_person", args=[pk])
    return None
