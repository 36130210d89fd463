"""Who may open which part of the staff workspace: Wagtail permission policies whose
answers come from people.selectors and people.roles (docs/architecture.md, "Who sees
what").

Views are gated the way Wagtail gates its own: `PermissionCheckedMixin` with
`permission_policy = workspace_policy` and a `permission_required` action, or
`PermissionPolicyChecker(workspace_policy).require(action)` on a function view. Menu
items ask the same policy (`WorkspaceMenuItem`), so a menu shows exactly the doors
that open. Which rows a view then shows is the selectors' business.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy

from . import roles
from .models import User
from .selectors import reads_team_training


class RolePermissionPolicy(BasePermissionPolicy):
    """Which actions a role may take: `allowed` is {action: check of a user}."""

    def __init__(self, model, allowed):
        super().__init__(model)
        self.allowed = allowed

    def user_has_permission(self, user, action):
        check = self.allowed.get(action)
        return bool(check and check(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        active = User.objects.filter(is_active=True).prefetch_related("groups")
        return User.objects.filter(
            pk__in=[u.pk for u in active if self.user_has_any_permission(u, actions)]
        )


def any_of(*checks):
    return lambda user: any(check(user) for check in checks)


# The workspace's actions, each with who may take it.
WORKSPACE_ACTIONS = {
    "record_own_training": roles.is_psw,
    "verify_training": roles.is_manager,
    "read_team_training": reads_team_training,
    "read_supervisees": roles.is_supervisor,
    "confirm_sessions": any_of(roles.is_supervisor, roles.is_manager),
    "read_organisation": roles.is_manager,
    "read_person_record": any_of(roles.is_psw, roles.is_supervisor, roles.is_manager),
    "read_audit_log": roles.is_manager,
    "add_people": roles.is_manager,
    "read_certificates": any_of(roles.is_psw, roles.is_supervisor, roles.is_manager),
    "bundle_certificates": roles.is_manager,
    "read_reminder_log": roles.is_manager,
    "read_check_statistics": roles.is_manager,
}

workspace_policy = RolePermissionPolicy(User, WORKSPACE_ACTIONS)


def managers_may(*actions):
    """The policy of a managers' model listing: these actions, for managers."""
    return dict.fromkeys(actions, roles.is_manager)


class WorkspaceMenuItem(MenuItem):
    """A menu item shown to the people a policy (`workspace_policy` unless another is
    given) lets take `action`."""

    def __init__(self, label, url, *, action, policy=workspace_policy, **kwargs):
        super().__init__(label, url, **kwargs)
        self.action, self.policy = action, policy

    def is_shown(self, request):
        return self.policy.user_has_permission(request.user, self.action)


class PolicyRequiredMixin(LoginRequiredMixin):
    """A site page for people who hold `permission_required` in the workspace policy:
    the sign-in page for anyone signed out, 403 for everyone else."""

    permission_required = None

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not workspace_policy.user_has_permission(
            user, self.permission_required
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
