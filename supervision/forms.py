"""Forms for the supervision workspace; their checks are the services' own."""

from django import forms
from django.db.models import Q

from organisation.words import SIDES, supervision_name
from people import roles
from people.models import User

from . import selectors, services
from .models import SupervisionArrangement, SupervisionSession

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ArrangementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, arrangement):
        ended = f", ended {arrangement.ends_on:%-d %b %Y}" if arrangement.ends_on else ""
        return (
            f"{arrangement.supervisee}: {arrangement.get_stream_display()} supervision with "
            f"{arrangement.supervisor_display} (from {arrangement.starts_on:%-d %b %Y}{ended})"
        )


class SessionForm(forms.ModelForm):
    """The short form a supervisor, or a PSW, fills in after a session."""

    arrangement = ArrangementChoiceField(
        queryset=SupervisionArrangement.objects.none(),
        label="Supervision arrangement",
        empty_label="Choose whose supervision",
    )
    topics = forms.MultipleChoiceField(
        choices=SupervisionSession.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What you talked about",
    )

    class Meta:
        model = SupervisionSession
        fields = [
            "arrangement",
            "held_on",
            "duration_minutes",
            "format",
            "status",
            "topics",
            "notes",
            "actions",
            "wellbeing_checked",
            "safeguarding_concern",
            "same_day_reason",
        ]
        labels = {
            "held_on": "Date of the session",
            "duration_minutes": "How long (minutes)",
            "status": "Did it happen?",
            "notes": "Notes",
            "actions": "Actions agreed",
            "wellbeing_checked": "We checked in on wellbeing",
            "safeguarding_concern": "A safeguarding concern came up",
            "same_day_reason": "Reason for a second session on the same day",
        }
        help_texts = {
            "notes": "Only the peer support worker and their supervisor can read these.",
            "actions": "Only the peer support worker and their supervisor can read these.",
            "safeguarding_concern": "Managers are told a concern was flagged, and when, "
            "but not what was said.",
            "same_day_reason": "Only needed when a session is already logged for that day.",
        }
        widgets = {
            "held_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 6}),
            "actions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, arrangements, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["arrangement"].queryset = arrangements
        self.fields["duration_minutes"].min_value = services.MIN_MINUTES
        self.fields["duration_minutes"].widget.attrs.update(
            min=services.MIN_MINUTES, max=services.MAX_MINUTES
        )

    def clean(self):
        cleaned = super().clean()
        problems = services.session_problems(
            arrangement=cleaned.get("arrangement"),
            held_on=cleaned.get("held_on"),
            duration_minutes=cleaned.get("duration_minutes"),
            format=cleaned.get("format"),
            status=cleaned.get("status"),
            topics=cleaned.get("topics", []),
            same_day_reason=cleaned.get("same_day_reason", ""),
            today=self.today,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        # The services own the checks; the model's own validation would repeat the
        # duration check with a less helpful message.
        pass

    def service_arguments(self):
        data = dict(self.cleaned_data)
        data["topics"] = list(data.get("topics", []))
        return data


class SupervisorChoiceField(forms.ModelChoiceField):
    """Each supervisor with the organisation they belong to, so the right one is easy
    to pick for the stream."""

    def label_from_instance(self, supervisor):
        side = supervisor.get_side_display() or "organisation not recorded"
        unit = f", {supervisor.organisation_unit}" if supervisor.organisation_unit else ""
        return f"{supervisor} ({side}{unit})"


class ArrangementForm(forms.ModelForm):
    """A manager sets up who supervises a PSW in one stream.

    The interval starts as the organisation's default for the stream; left empty, the
    default is used.
    """

    supervisor = SupervisorChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Supervisor with an account",
        help_text="Leave empty when the supervisor has no account here. An NHS arrangement "
        "needs a supervisor who belongs to the NHS; an employer arrangement one of the "
        "employer's own.",
    )

    class Meta:
        model = SupervisionArrangement
        fields = [
            "supervisee",
            "stream",
            "supervisor",
            "supervisor_name",
            "interval_weeks",
            "starts_on",
        ]
        labels = {
            "supervisee": "Peer support worker",
            "supervisor_name": "Or: name of a supervisor without an account",
            "interval_weeks": "Supervision every (weeks)",
        }
        help_texts = {
            "starts_on": "An arrangement already in force for this stream ends the day before.",
        }
        widgets = {"starts_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = selectors.default_interval_weeks()
        self.fields["supervisee"].queryset = User.objects.filter(
            groups__name=roles.PSW, is_active=True
        ).distinct()
        self.fields["supervisor"].queryset = User.objects.filter(
            groups__name=roles.SUPERVISOR, is_active=True
        ).distinct()
        interval = self.fields["interval_weeks"]
        interval.required = False
        interval.help_text = (
            f"Left empty: the organisation's default, every {self.defaults['nhs']} weeks for "
            f"NHS supervision and every {self.defaults['employer']} for the employer's."
        )
        if "interval_weeks" not in (kwargs.get("initial") or {}):
            # The model's own default would hide the organisation's: offer the stream's
            # default when the stream is known, and otherwise leave it empty.
            self.initial["interval_weeks"] = self.defaults.get(self.initial.get("stream"))

    def clean(self):
        cleaned = super().clean()
        if any(field in self.errors for field in ("supervisee", "stream", "starts_on")):
            return cleaned
        if cleaned.get("interval_weeks") is None and "interval_weeks" not in self.errors:
            cleaned["interval_weeks"] = self.defaults.get(cleaned.get("stream"))
        problems = services.arrangement_problems(
            supervisee=cleaned.get("supervisee"),
            stream=cleaned.get("stream"),
            supervisor=cleaned.get("supervisor"),
            supervisor_name=cleaned.get("supervisor_name", ""),
            interval_weeks=cleaned.get("interval_weeks"),
            starts_on=cleaned.get("starts_on"),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        # Checked by `services.arrangement_problems` instead.
        pass


class ArrangementEndForm(forms.ModelForm):
    """Ending an arrangement: the date, and why (kept in its history)."""

    reason = forms.CharField(
        max_length=200,
        label="Why it ends",
        help_text="For example: the supervisor changed, or the person left.",
    )

    class Meta:
        model = SupervisionArrangement
        fields = ["ends_on"]
        labels = {"ends_on": "Last day of this arrangement"}
        widgets = {"ends_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ends_on"):
            problems = services.arrangement_end_problems(
                arrangement=self.instance, ends_on=cleaned["ends_on"]
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        # Checked by `services.arrangement_end_problems`; the instance is saved only
        # through `services.arrangement_end`.
        pass


class CorrectionForm(forms.Form):
    """A supervisor corrects what was held (a session or a group session): its date,
    duration or format, saying why. `told` says who reads the reason."""

    held_on = forms.DateField(label="Date of the session", widget=DATE_WIDGET)
    duration_minutes = forms.IntegerField(label="How long (minutes)")
    reason = forms.CharField(max_length=200, label="Why it is corrected")
    told = ""
    field_order = ["held_on", "duration_minutes", "format", "reason"]

    def __init__(self, *args, held, today, **kwargs):
        # A view passes an empty `initial` of its own: what was held starts the form.
        kwargs["initial"] = {
            "held_on": held.held_on,
            "duration_minutes": held.duration_minutes,
            "format": held.format,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            f"{self.told}, and managers can read it in the history: say what was wrong, "
            "not what was said."
        )
        self.today = today

    def problems(self, **corrected):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        problems = self.problems(
            held_on=cleaned.get("held_on"),
            duration_minutes=cleaned.get("duration_minutes"),
            format=cleaned.get("format"),
            reason=cleaned.get("reason", ""),
            today=self.today,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned


class SessionCorrectionForm(CorrectionForm):
    """The supervisor corrects a session's date, duration or format, saying why."""

    format = forms.ChoiceField(choices=SupervisionSession.Format.choices)
    told = "The peer support worker is told"

    def __init__(self, *args, session, today, **kwargs):
        self.session = session
        super().__init__(*args, held=session, today=today, **kwargs)

    def problems(self, **corrected):
        return services.session_correction_problems(session=self.session, **corrected)


class SessionDeclineForm(forms.Form):
    """Declining a session the PSW logged: the reason they will read."""

    reason = forms.CharField(
        label="Why you are declining it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The peer support worker reads this. Only the two of you can.",
    )


class SuperviseeArrangementField(ArrangementChoiceField):
    def label_from_instance(self, arrangement):
        ended = f", ended {arrangement.ends_on:%-d %b %Y}" if arrangement.ends_on else ""
        return f"{arrangement.supervisee} ({arrangement.get_stream_display()} supervision{ended})"


class SupervisorSessionForm(SessionForm):
    """The supervisor's own log form: whose session is chosen from their own
    arrangements, and the date starts as today."""

    arrangement = SuperviseeArrangementField(
        queryset=SupervisionArrangement.objects.none(),
        label="Whose supervision",
        empty_label="Choose the person",
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return str(person)


class GroupSessionForm(forms.Form):
    """A group or reflective-practice session for several supervisees at once.

    The attendees are offered from the people the supervisor supervises; each must have
    an arrangement with them in the chosen stream on the day, which `clean` finds.
    """

    stream = forms.ChoiceField(label="Which supervision it counts as", widget=forms.RadioSelect)
    attendees = PersonChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who came",
        error_messages={
            "invalid_choice": "Choose only people you supervise.",
            "required": "Choose the people who came.",
        },
    )
    held_on = forms.DateField(label="Date of the session", widget=DATE_WIDGET)
    duration_minutes = forms.IntegerField(label="How long (minutes)")
    format = forms.ChoiceField(
        choices=[
            choice
            for choice in SupervisionSession.Format.choices
            if choice[0] in SupervisionSession.GROUP_FORMATS
        ],
        widget=forms.RadioSelect,
    )
    topics = forms.MultipleChoiceField(
        choices=SupervisionSession.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What you talked about",
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Each person who came can read these, and you. Nobody else can.",
    )
    actions = forms.CharField(
        label="Actions agreed",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Each person who came can read these, and you. Nobody else can.",
    )

    def __init__(self, *args, supervisor, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisor = supervisor
        self.today = today
        self.arrangements = selectors.arrangements_supervised_by(supervisor)
        streams = sorted(set(self.arrangements.values_list("stream", flat=True)))
        self.fields["stream"].choices = [
            (stream, supervision_name(stream)) for stream in streams or SIDES
        ]
        if len(streams) == 1:
            self.fields["stream"].initial = streams[0]
        self.fields["attendees"].queryset = User.objects.filter(
            pk__in=self.arrangements.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).values(
                "supervisee"
            ),
            is_active=True,
        ).order_by("first_name", "last_name")
        self.fields["duration_minutes"].widget.attrs.update(
            min=services.MIN_MINUTES, max=services.MAX_MINUTES
        )

    def clean(self):
        cleaned = super().clean()
        held_on, stream = cleaned.get("held_on"), cleaned.get("stream")
        cleaned["arrangements"] = []
        if held_on and stream and cleaned.get("attendees"):
            cleaned["arrangements"] = self.attendee_arrangements(
                cleaned["attendees"], stream, held_on
            )
        problems = services.group_problems(
            facilitator=self.supervisor,
            stream=stream,
            arrangements=cleaned["arrangements"],
            held_on=held_on,
            duration_minutes=cleaned.get("duration_minutes"),
            format=cleaned.get("format"),
            today=self.today,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def attendee_arrangements(self, people, stream, held_on):
        """Each person's arrangement with this supervisor in `stream` on `held_on`."""
        in_force = self.arrangements.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=held_on),
            stream=stream,
            starts_on__lte=held_on,
        )
        found = {a.supervisee_id: a for a in in_force.order_by("starts_on")}
        missing = [str(person) for person in people if person.pk not in found]
        if missing:
            self.add_error(
                "attendees",
                f"You did not supervise {', '.join(missing)} in {supervision_name(stream)} on "
                f"{held_on:%-d %B %Y}.",
            )
            return []
        return [found[person.pk] for person in people]

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "stream": data["stream"],
            "arrangements": data["arrangements"],
            "held_on": data["held_on"],
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "topics": list(data["topics"]),
            "notes": data["notes"],
            "actions": data["actions"],
        }


class GroupCorrectionForm(CorrectionForm):
    """The facilitator corrects a group session's date, duration or format."""

    format = forms.ChoiceField(
        choices=GroupSessionForm.base_fields["format"].choices, widget=forms.RadioSelect
    )
    told = "Everyone who came is told"

    def __init__(self, *args, group, today, **kwargs):
        self.group = group
        super().__init__(*args, held=group, today=today, **kwargs)

    def problems(self, **corrected):
        return services.group_correction_problems(group=self.group, **corrected)
