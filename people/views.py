from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.defaults import permission_denied
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.account import AccountView as WagtailAccountView
from wagtail.admin.views.account import NameEmailSettingsPanel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import IndexView as UserIndexView
from wagtail.users.views.users import UserViewSet

from . import roles
from .forms import (
    LegalNameForm,
    PersonCreationForm,
    PersonEditForm,
    PersonInvitationForm,
    PreferredNameEmailForm,
)
from .models import Service
from .policies import workspace_policy
from .selectors import people_visible_to
from .services import person_add, person_rename
from .viewsets import ForbiddenMixin


def role_words(person):
    held = sorted(group.name for group in person.groups.all())
    return ", ".join((["Administrator"] if person.is_superuser else []) + held) or "No role yet"


class PersonIndexView(UserIndexView):
    """The people list says what each person does and where: role and service."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("service").prefetch_related("groups")

    @cached_property
    def columns(self):
        columns = [column for column in super().columns if column.name != "is_superuser"]
        extra = [
            Column("role", accessor=role_words, label="Role", width="20%"),
            Column("service", accessor="service", label="Service", sort_key="service__name"),
        ]
        return columns[:3] + extra + columns[3:]


class PersonViewSet(UserViewSet):
    """Wagtail's user management, with the fields a placement needs."""

    copy_view_enabled = False
    index_view_class = PersonIndexView

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm


class ServiceViewSet(ModelViewSet):
    model = Service
    icon = "site"
    menu_label = "Services"
    add_to_settings_menu = True
    form_fields = ["name", "kind", "trust"]
    list_display = ["name", "kind", "trust"]
    list_filter = ["kind"]
    search_fields = ["name", "trust"]
    copy_view_enabled = False
    inspect_view_enabled = True


class PreferredNameEmailPanel(NameEmailSettingsPanel):
    """The account page's name panel, as a preferred name and a guarded email address."""

    title = "Name and email"
    form_class = PreferredNameEmailForm

    def get_form(self):
        kwargs = {"instance": self.user, "prefix": self.name, "request": self.request}
        if self.request.method == "POST":
            return self.form_class(self.request.POST, self.request.FILES, **kwargs)
        return self.form_class(**kwargs)


class AccountView(WagtailAccountView):
    """Wagtail's account page, where a person may not retype the name on their
    certificates, nor change their address without their password."""

    def get_panels(self):
        return [
            PreferredNameEmailPanel(self.request, panel.user, panel.profile)
            if type(panel) is NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]


class LegalNameView(WagtailAdminTemplateMixin, FormView):
    """A manager changes a person's legal name, with a reason; their certificates are
    re-issued under it."""

    page_title = "Change legal name"
    header_icon = "user"
    template_name = "people/legal_name.html"
    form_class = LegalNameForm

    def dispatch(self, request, *args, **kwargs):
        if not roles.is_manager(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def person(self):
        return get_object_or_404(people_visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.person.legal_name()

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def form_valid(self, form):
        try:
            person_rename(person=self.person, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"The legal name is now {self.person.legal_name()}; their certificates were "
            "re-issued under it, and the old codes now answer “replaced”.",
        )
        return redirect(self.request.path)


class AddPersonView(ForbiddenMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A manager adds a person with a role; the person is emailed an invitation to
    choose their password (the `after_create_user` hooks, as Wagtail's own user form)."""

    permission_policy = workspace_policy
    permission_required = "add_people"
    page_title = "Add a person"
    header_icon = "user"
    template_name = "people/add_person.html"
    form_class = PersonInvitationForm

    def get_breadcrumbs_items(self):
        return []

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": self.request.user}

    def form_valid(self, form):
        try:
            person = person_add(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{person} is added as {form.cleaned_data['role'].lower()}, "
            f"with the username {person.username}.",
        )
        for hook in hooks.get_hooks("after_create_user"):
            hook(self.request, person)
        return redirect(self.request.path)
