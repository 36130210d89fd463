"""Who may import, and which imports each person may see: managers, their own uploads.

An import holds a whole file of personal details, so even another manager's upload
answers 404: the records it wrote are where everyone else looks.
"""

from people import roles
from people.policies import RolePermissionPolicy

from .models import RecordImport

import_policy = RolePermissionPolicy(RecordImport, {"add": roles.is_manager})


def imports_visible_to(user):
    if not import_policy.user_has_permission(user, "add"):
        return RecordImport.objects.none()
    return RecordImport.objects.filter(uploaded_by=user)
