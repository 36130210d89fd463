"""A service lead's pages on the site, under /service/: their service's people ×
requirements, the people behind each figure, and one person's statuses and sessions.

What a service lead may see is docs/architecture.md, Who sees what: training statuses
and dates, and session dates, format and status, for their own service's peer support
workers; never notes, evidence, exemption reasons, certificates or safeguarding flags.
The people come from `people.selectors.service_members`, so a person outside the
service answers 404.
"""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from organisation.words import NOT_REQUIRED
from people.selectors import placements_on, service_led_by, service_members
from supervision import rules as supervision_rules
from supervision.selectors import sessions_visible_to
from training import rules as training_rules

from . import counts, service
from .labels import requirement_date, status_cell, stream_date
from .loader import Person, statuses_today

PER_PAGE = 50
SESSIONS_PER_PAGE = 20


class ServiceLeadPage(LoginRequiredMixin, TemplateView):
    """A page of the service the signed-in person leads; anyone else is refused."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.service = service_led_by(request.user)
            if self.service is None:
                raise PermissionDenied
            self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(service=self.service, today=self.today, not_required=NOT_REQUIRED)
        return context


class ServiceView(ServiceLeadPage):
    """The service today: how many people, and for each requirement and stream how many
    are in each status, every figure a link to the people behind it."""

    template_name = "compliance/service/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = service_members(self.request.user)

        def figures():
            status = service.service_status(members, self.today)
            return {
                "people": len(status.people),
                "headline": service.headline(status),
                "training": service.figure_rows(status, service.training_columns(status)),
                "supervision": service.figure_rows(status, service.supervision_columns(status)),
            }

        context.update(
            counts.kept_figures(self.service.pk, self.today, figures),
            training_statuses=training_rules.STATUSES,
            supervision_statuses=supervision_rules.STATUSES,
        )
        return context


class PeopleFilterForm(forms.Form):
    item = forms.ChoiceField(label="Requirement or stream", required=False)
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, data, *, status):
        super().__init__(data)
        self.fields["item"].choices = service.item_choices(status)
        self.fields["status"].choices = service.status_choices()

    def value(self, name):
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


class ServicePeopleView(ServiceLeadPage):
    """The service's people × requirements; narrowed by a figure's filter to the people
    behind it and the columns it counts."""

    template_name = "compliance/service/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = service.service_status(service_members(self.request.user), self.today)
        form = PeopleFilterForm(self.request.GET or None, status=status)
        item, wanted = form.value("item"), form.value("status")
        chosen = service.columns(status, item)
        page = Paginator(service.people_behind(status, item, wanted), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        placed = placements_on([p.person.pk for p in page.object_list], self.today)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            item_label=dict(form.fields["item"].choices).get(item) if item else "",
            status_label=service.status_label(wanted) if wanted else "",
            columns=chosen,
            rows=[
                (p.person, [c.shown(p) for c in chosen], placed.get(p.person.pk, []))
                for p in page.object_list
            ],
            page=page,
            query=query.urlencode(),
        )
        return context


class ServicePersonView(ServiceLeadPage):
    """One of the service's peer support workers: statuses and dates, and their
    sessions' dates, format and status."""

    template_name = "compliance/service/person.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = service_members(self.request.user).select_related("service")
        person = get_object_or_404(members, pk=self.kwargs["pk"])
        status = statuses_today([Person.of(person)], self.today).people[0]
        sessions = (
            sessions_visible_to(self.request.user)
            .filter(arrangement__supervisee=person)
            .select_related("arrangement")
            .only(
                "held_on", "format", "status", "confirmed_at", "declined_at", "arrangement__stream"
            )
            .order_by("-held_on", "-pk")
        )
        context.update(
            person=person,
            placements=placements_on([person.pk], self.today).get(person.pk, []),
            requirements=[
                (r, status_cell(r.status, requirement_date(r)))
                for r in status.requirements.values()
            ],
            streams=[(s, status_cell(s.status, stream_date(s))) for s in status.streams.values()],
            sessions=Paginator(sessions, SESSIONS_PER_PAGE).get_page(self.request.GET.get("page")),
        )
        return context
