"""The staff workspace's listings, scoped: the base every app's Wagtail viewsets use.

A Wagtail ModelViewSet scopes nothing by itself, and its edit, delete, inspect, history
and usage views each load their object by id from the whole table. `ScopedModelViewSet`
wraps every view class it builds so that listings come from `scope(user)` and every
object is looked up in it: a guessed id answers 404. A role policy decides which
actions (and so which menus and buttons) each role gets; the scope decides the rows.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.defaults import permission_denied
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .policies import RolePermissionPolicy
from .security_log import LoggedExportMixin


class ForbiddenMixin:
    """Answers a refusal with 403, where the admin would redirect to its dashboard with
    a message: a refused request must look refused to people and to tests alike."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exception:
            return permission_denied(request, exception)


class ScopedListingMixin(LoggedExportMixin, ForbiddenMixin):
    scope = None

    def get_base_queryset(self):
        return self.scope(self.request.user)


class ScopedObjectMixin(ForbiddenMixin):
    scope = None

    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        pk = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk"), getattr(self, "pk", None))
        return get_object_or_404(self.scope(self.request.user), pk=unquote(str(pk)))


class ScopedModelViewSet(ModelViewSet):
    """A ModelViewSet whose every view is scoped by `scope(user)`, with no copy view."""

    scope = None
    allowed = {}
    copy_view_enabled = False
    inspect_view_enabled = True

    @property
    def permission_policy(self):
        return RolePermissionPolicy(self.model, self.allowed)

    def construct_view(self, view_class, **kwargs):
        # Every view Wagtail builds is wrapped, so one it adds later is scoped too.
        if issubclass(view_class, generic.IndexView):
            mixin = ScopedListingMixin
        elif issubclass(view_class, generic.CreateView) and not issubclass(
            view_class, generic.CopyView
        ):
            mixin = ForbiddenMixin
        else:
            mixin = ScopedObjectMixin
        attrs = {}
        if issubclass(view_class, generic.HistoryView) and self.inspect_view_enabled:
            # Where an object can be inspected, its history can be read as well.
            attrs["any_permission_required"] = ["view"]
        scoped = type(f"Scoped{view_class.__name__}", (mixin, view_class), attrs)
        return super().construct_view(scoped, scope=self.scope, **kwargs)
