from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from organisation import words

from . import check_rules, rules
from .blocks import KnowledgeCheckBlock, ModuleBodyBlock
from .storage import evidence_path, private_storage


class TrainingIndexPage(Page):
    """The catalogue at /training/, kept private to signed-in users by page privacy."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["training.TrainingModulePage"]
    max_count = 1  # its place, under the home page, is the home page's to say

    class Meta:
        verbose_name = "training catalogue"

    def get_context(self, request, *args, **kwargs):
        from .pages import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(self, request.user))
        return context


class TrainingModulePage(RoutablePageMixin, Page):
    """One training module: its content for PSWs and the rule it sets for compliance.

    A page (not a snippet) so editors get drafts, revisions and previews for the
    content, and the catalogue is browsable on the site. The knowledge check is part of
    the page for the same reason: its questions and settings are published, drafted
    and previewed with the content they test; attempts are answered under the page's
    own address (check/…).
    """

    summary = models.TextField(help_text="One or two sentences shown in the catalogue.")
    body = StreamField(ModuleBodyBlock(), blank=True, use_json_field=True)
    provider = models.CharField(
        max_length=10,
        choices=words.MODULE_PROVIDER_CHOICES,
        help_text="Who delivers it. 'Both' makes two requirements: one from each.",
    )
    renewal_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months a completion stays valid. Empty: never expires."
    )
    mandatory = models.BooleanField(default=True)
    services = ParentalManyToManyField(
        "people.Service",
        blank=True,
        related_name="training_modules",
        help_text="Leave empty for a module every service requires.",
    )
    issues_certificate = models.BooleanField(default=True)
    evidence_required = models.BooleanField(
        default=False, help_text="PSWs must attach a certificate or other evidence."
    )
    check_questions = StreamField(
        KnowledgeCheckBlock(),
        blank=True,
        use_json_field=True,
        verbose_name="questions",
        help_text="The question bank. Leave empty for a module without a knowledge check.",
    )
    check_pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)",
        default=check_rules.DEFAULT_PASS_MARK,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The share of questions to get right, in percent. The NHS uses 80.",
    )
    check_question_count = models.PositiveSmallIntegerField(
        "questions per attempt",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many questions each attempt draws from the bank. Empty: all of them.",
    )
    check_attempts_per_day = models.PositiveSmallIntegerField(
        "attempts allowed per day",
        default=check_rules.DEFAULT_ATTEMPTS_PER_DAY,
        validators=[MinValueValidator(1)],
    )
    check_verified_at_once = models.BooleanField(
        "a pass counts at once",
        default=True,
        help_text="Untick to have a manager verify each pass, as for a recorded completion.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("provider"),
                FieldPanel("renewal_months"),
                FieldPanel("mandatory"),
                FieldPanel("services"),
                FieldPanel("issues_certificate"),
                FieldPanel("evidence_required"),
            ],
            heading="Requirement",
        ),
        MultiFieldPanel(
            [
                FieldPanel("check_questions"),
                FieldPanel("check_pass_mark"),
                FieldPanel("check_question_count"),
                FieldPanel("check_attempts_per_day"),
                FieldPanel("check_verified_at_once"),
            ],
            heading="Knowledge check",
            help_text="Questions PSWs answer on the module page. A pass records the "
            "completion (for a module both sides deliver, the charity's side).",
        ),
    ]
    parent_page_types = ["training.TrainingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "training module"

    def providers(self):
        return rules.providers_of(self.provider)

    def get_provider_display(self):
        return words.module_provider_name(self.provider)

    def get_context(self, request, *args, **kwargs):
        from .pages import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(self, request))
        return context

    @property
    def has_knowledge_check(self):
        return len(self.check_questions) > 0

    @property
    def check_provider(self):
        return check_rules.check_provider(self.provider)

    def check_question_bank(self):
        """The questions as plain data ({id, kind, text, choices, correct, feedback})."""
        return [block.block.as_question(block.value, block.id) for block in self.check_questions]

    @path("check/start/", name="check_start")
    def check_start(self, request):
        from .check_views import start

        return start(request, self)

    @path("check/<int:attempt_id>/", name="check_attempt")
    def check_attempt(self, request, attempt_id):
        from .check_views import attempt

        return attempt(request, self, attempt_id)

    def check_url(self, name, *args):
        return self.url + self.reverse_subpage(name, args=args)


class TrainingRecord(models.Model):
    """A completion of one module from one provider, as the PSW or a manager recorded it.

    Never hard-deleted by ordinary users: a mistaken or revoked record is rejected,
    with a reason, so the history of what was claimed stays readable.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    module = models.ForeignKey(TrainingModulePage, on_delete=models.PROTECT, related_name="records")
    provider = models.CharField(max_length=10, choices=words.Side.choices)
    completed_on = models.DateField("completed on")
    valid_until = models.DateField("valid until", null=True, blank=True, editable=False)
    evidence = models.FileField(
        storage=private_storage, upload_to=evidence_path, blank=True, max_length=200
    )
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.TextField("reason", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # A withdrawn record is rejected (it never counts and frees its date for a new one),
    # and says it was the person's own choice rather than a manager's decision.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    certificate_code = models.CharField(max_length=12, unique=True, null=True, blank=True)
    issued_name = models.CharField(
        "issued to",
        max_length=300,
        blank=True,
        editable=False,
        help_text="The legal name on the record when the certificate was issued; "
        "the certificate and its public check always show this name.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [models.Index(fields=["person", "module", "provider"])]
        constraints = [
            # A double-submitted form, or two clerks entering the same register, must
            # not make two live records of one completion.
            models.UniqueConstraint(
                fields=["person", "module", "provider", "completed_on"],
                condition=~models.Q(status="rejected"),
                name="one_live_record_per_completion",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {words.requirement_name(self.module.title, self.provider)}"

    def save(self, *args, **kwargs):
        self.valid_until = rules.valid_until(self.completed_on, self.module.renewal_months)
        super().save(*args, **kwargs)

    def get_provider_display(self):
        return words.side_name(self.provider)

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None


class TrainingExemption(models.Model):
    """A manager's decision that a requirement does not apply to a person for a while."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_exemptions"
    )
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.PROTECT, related_name="exemptions"
    )
    provider = models.CharField(
        max_length=10,
        choices=words.Side.choices,
        null=True,
        blank=True,
        help_text="Leave empty to exempt from both providers' training.",
    )
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on", null=True, blank=True, help_text="Empty: open-ended.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="exemption_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.person} — exempt from {self.module.title} ({self.get_provider_display()})"

    def get_provider_display(self):
        """One side's name, or "Both" when the exemption names none."""
        return words.side_or_both_name(self.provider)


class CertificateCheck(models.Model):
    """One look-up on the public check page, and the answer it was given.

    Kept so the holder and managers can see how often a certificate is checked. The
    asker's address is not stored: rate limiting keeps a keyed hash of it in the cache
    for a minute, no longer.
    """

    class Answer(models.TextChoices):
        VALID = "valid", "Valid"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"
        REPLACED = "replaced", "Replaced"
        UNKNOWN = "unknown", "Unknown code"

    checked_at = models.DateTimeField(auto_now_add=True, db_index=True)
    code = models.CharField(max_length=40, help_text="The code as asked, in its stored form.")
    record = models.ForeignKey(
        TrainingRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate_checks",
    )
    answer = models.CharField(max_length=10, choices=Answer.choices)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return f"{self.code} checked {self.checked_at:%Y-%m-%d %H:%M}: {self.answer}"


class CertificateBundle(models.Model):
    """A ZIP of one service's current certificates, built by a background task.

    A row rather than a task result so the progress page works the same on every
    task backend, and the finished file stays downloadable after the task is gone.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"

    service = models.ForeignKey(
        "people.Service", on_delete=models.CASCADE, related_name="certificate_bundles"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField("current on")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, blank=True, max_length=200)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Certificates of {self.service} on {self.as_of:%d %B %Y}"


class KnowledgeCheckAttempt(models.Model):
    """One go at a module's knowledge check: the questions drawn, the answers, the score.

    The drawn questions are copied in when the attempt starts, right answers included,
    so the attempt is marked against what the person was asked even if editors change
    the bank meanwhile, and nothing about the answers has to travel to the browser.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="check_attempts"
    )
    module = models.ForeignKey(
        TrainingModulePage, on_delete=models.PROTECT, related_name="check_attempts"
    )
    provider = models.CharField(max_length=10, choices=words.Side.choices)
    started_at = models.DateTimeField(auto_now_add=True)
    questions = models.JSONField(help_text="The questions drawn, as asked, with the right answers.")
    pass_mark = models.PositiveSmallIntegerField("pass mark (%)")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField("submitted on", null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Question id: choices chosen.")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    record = models.ForeignKey(
        TrainingRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_attempts",
        help_text="The completion a pass recorded.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "knowledge check attempt"
        constraints = [
            # Starting twice (a double click, two tabs) continues the one open attempt.
            models.UniqueConstraint(
                fields=["person", "module"],
                condition=models.Q(submitted_at__isnull=True),
                name="one_open_check_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.module.title} knowledge check"

    @property
    def out_of(self):
        return len(self.questions)
