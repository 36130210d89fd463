"""What the catalogue and module pages show the signed-in person about themself.

Kept out of models.py because it reads through the selectors, which import the models.
"""

from django.utils import timezone

from people.policies import workspace_policy
from people.selectors import Sees

from .check_views import check_context
from .selectors import records_visible_to, requirement_statuses


def records_own_training(user):
    return workspace_policy.user_has_permission(user, "record_own_training")


def own_statuses(user, today):
    """{module id: [RequirementStatus, …]} for a PSW; empty for everyone else."""
    if not records_own_training(user):
        return {}
    by_module = {}
    for status in requirement_statuses([user], today)[user.pk]:
        by_module.setdefault(status.module_id, []).append(status)
    return by_module


def catalogue_context(index, user):
    today = timezone.localdate()
    statuses = own_statuses(user, today)
    modules = index.get_children().live().specific().order_by("path")
    return {
        "is_psw": records_own_training(user),
        "modules": [(module, statuses.get(module.pk, [])) for module in modules],
        "today": today,
    }


def module_context(module, request):
    user, today = request.user, timezone.localdate()
    records = records_visible_to(user, Sees.EVIDENCE).filter(person=user, module=module)
    return {
        "is_psw": records_own_training(user),
        "my_statuses": own_statuses(user, today).get(module.pk, []),
        "my_records": records,
        "today": today,
        "check": check_context(module, request, today),
    }
