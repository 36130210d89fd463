from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.users.views.users import UserViewSet

from .forms import PersonCreationForm, PersonEditForm
from .models import Service


class PersonViewSet(UserViewSet):
    """Wagtail's user management, with the fields a placement needs."""

    copy_view_enabled = False

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
