"""The public certificate check, certificate downloads, and the bulk ZIP pages.

Who may download what is decided by `people_visible_to(user, Sees.CERTIFICATES)`: a
certificate of anyone outside that set is simply not found.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from people.models import Service
from people.policies import PolicyRequiredMixin, workspace_policy
from people.rate_limits import current_window, over_limit
from people.security_log import client_address, log_event
from people.selectors import Sees, people_visible_to, supervisees_of
from training import codes, rules
from training.models import CertificateBundle, CertificateCheck, TrainingRecord

from . import documents
from .tasks import build_certificate_bundle

# A person checking certificates by hand never needs more; a script guessing codes
# gets nowhere. The count lives in Django's cache: each process's own memory by
# default, shared by every worker and host once CACHE_URL names Redis or the database.
CHECKS_PER_MINUTE = 30


class CheckForm(forms.Form):
    code = forms.CharField(
        label="Certificate code",
        max_length=40,
        help_text="The 12 letters and numbers printed on the certificate, "
        "for example 7K3M-9QPX-2D4R.",
    )

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "That is not a certificate code. Codes have 12 letters and numbers, "
                "like 7K3M-9QPX-2D4R."
            )
        return code


# Public check ----------------------------------------------------------------------


@require_GET
def check_form(request):
    """/verify/: type a code; a good one goes to its canonical check page."""
    form = CheckForm(request.GET or None)
    if form.is_valid():
        return redirect_to_check(form.cleaned_data["code"], typed=request.GET["code"])
    return render(request, "certificates/check_form.html", {"form": form})


def redirect_to_check(code, *, typed):
    """To the canonical check page; where look-alike letters were read as digits, the
    page is told what was typed so it can say so ("L read as 1")."""
    url = reverse("certificates:check", kwargs={"code": codes.display(code)})
    if codes.lookalikes_read(typed):
        url += "?" + urlencode({"typed": typed[:40]})
    return redirect(url)


def current_minute():
    return current_window(60)


def too_many_checks(request):
    """Count this check against the asker's address; True once over the limit."""
    return over_limit(
        "certificate-checks",
        client_address(request),
        limit=CHECKS_PER_MINUTE,
        window=current_minute(),
        seconds=60,
    )


@require_GET
@never_cache
def check(request, code):
    """/verify/<code>/: valid, expired or revoked, for anyone holding the code."""
    normal = codes.normalise(code)
    if normal and code != codes.display(normal):
        return redirect_to_check(normal, typed=code)
    typed = request.GET.get("typed", "")
    read_as = codes.lookalikes_read(typed) if codes.normalise(typed) == normal else []
    if too_many_checks(request):
        return render(
            request, "certificates/check_limited.html", {"limit": CHECKS_PER_MINUTE}, status=429
        )
    record = certificate_with_code(normal) if normal else None
    replaced = documents.replaced_certificate(normal) if normal and record is None else None
    if replaced is not None:
        CertificateCheck.objects.create(
            code=normal, record=replaced, answer=CertificateCheck.Answer.REPLACED
        )
        log_event("certificate_check", request, code=normal, answer="replaced")
        context = {
            "code": codes.display(normal),
            "module": replaced.module.title,
            "read_as": read_as,
        }
        return render(request, "certificates/check_replaced.html", context)
    if record is None:
        CertificateCheck.objects.create(
            code=(normal or code.upper())[:40], answer=CertificateCheck.Answer.UNKNOWN
        )
        log_event("certificate_check", request, code=normal or code, answer="unknown")
        context = {"code": code, "form": CheckForm(initial={"code": code}), "read_as": read_as}
        return render(request, "certificates/check_unknown.html", context, status=404)
    state = documents.certificate_state(record, timezone.localdate())
    CertificateCheck.objects.create(code=normal, record=record, answer=state)
    log_event("certificate_check", request, code=normal, answer=state)
    context = {**check_context(record, state), "read_as": read_as}
    return render(request, "certificates/check.html", context)


def certificate_with_code(code):
    return (
        TrainingRecord.objects.select_related("person", "module")
        .filter(certificate_code=code)
        .first()
    )


def check_context(record, state):
    """What the public may read of a certificate: names, module, provider and dates only."""
    return {
        "code": codes.display(record.certificate_code),
        "state": state,
        "holder": documents.issued_name(record),
        "module": record.module.title,
        "provider": record.get_provider_display(),
        "completed_on": record.completed_on,
        "valid_until": record.valid_until,
        "revoked_on": documents.revoked_on(record) if state == documents.REVOKED else None,
        "form": CheckForm(),
    }


# Downloads -------------------------------------------------------------------------


def certificates_visible_to(user):
    return TrainingRecord.objects.filter(
        person__in=people_visible_to(user, Sees.CERTIFICATES), certificate_code__isnull=False
    )


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@login_required
def certificate_pdf(request, code):
    """/certificates/<code>.pdf for the holder, their supervisors and managers."""
    normal = codes.normalise(code)
    if normal is None:
        raise Http404
    record = get_object_or_404(
        certificates_visible_to(request.user)
        .select_related("person", "module")
        .only(*documents.PRINTED_FIELDS),
        certificate_code=normal,
    )
    if record.status != TrainingRecord.Status.VERIFIED:
        return render(
            request,
            "certificates/revoked.html",
            {"code": codes.display(normal), "record": record},
            status=410,
        )
    pdf = documents.certificate_pdf(record, documents.organisation())
    return pdf_response(pdf, documents.certificate_filename(record))


# A supervisor's page on the site ------------------------------------------------------


class SuperviseeCertificatesView(PolicyRequiredMixin, TemplateView):
    """The certificates and passports of the people a supervisor supervises today
    (docs/architecture.md, Who sees what: a supervisor may download them). Only verified
    certificates are listed; a revoked one is for the public check page to explain."""

    template_name = "certificates/supervisees.html"

    permission_required = "read_supervisees"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        people = (
            people_visible_to(user, Sees.CERTIFICATES, today)
            .filter(pk__in=supervisees_of(user, today).values("pk"))
            .order_by("first_name", "last_name", "username")
        )
        records = (
            certificates_visible_to(user)
            .filter(person__in=people, status=TrainingRecord.Status.VERIFIED)
            .select_related("module")
            .only(
                "person",
                "module__title",
                "provider",
                "completed_on",
                "valid_until",
                "certificate_code",
            )
            .order_by("module__title", "provider", "-completed_on")
        )
        held = {}
        for record in records:
            held.setdefault(record.person_id, []).append(
                (record, rules.has_expired(record.valid_until, today))
            )
        return super().get_context_data(
            people=[(person, held.get(person.pk, [])) for person in people], **kwargs
        )


# The staff workspace: certificates, how often each was checked, bulk ZIPs -----------


class CertificateListView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The certificates a person may download, with how often each has been checked.
    Only for those who may download some: never an empty list that looks like a gap."""

    permission_policy = workspace_policy
    permission_required = "read_certificates"

    template_name = "certificates/admin/index.html"
    page_title = "Certificates"
    header_icon = "doc-full"
    paginate_by = 50

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.get("q", "").strip()
        records = (
            self.search(certificates_visible_to(user), query)
            .select_related("person", "module")
            .annotate(check_count=Count("certificate_checks"))
            .annotate(last_checked=Max("certificate_checks__checked_at"))
            .order_by("person__first_name", "person__last_name", "-completed_on")
        )
        page = self.paginate(records)
        today = timezone.localdate()
        is_manager = workspace_policy.user_has_permission(user, "bundle_certificates")
        context.update(
            query=query,
            page=page,
            rows=[
                (
                    record,
                    documents.certificate_state(record, today),
                    codes.display(record.certificate_code),
                )
                for record in page
            ],
            own_passport=workspace_policy.user_has_permission(user, "record_own_training"),
            is_manager=is_manager,
            services=Service.objects.all() if is_manager else [],
            bundles=CertificateBundle.objects.select_related("service")[:5] if is_manager else [],
        )
        return context

    def search(self, records, query):
        """By holder, module or (typed any way) certificate code."""
        if not query:
            return records
        matches = (
            Q(person__first_name__icontains=query)
            | Q(person__last_name__icontains=query)
            | Q(person__username__icontains=query)
            | Q(module__title__icontains=query)
        )
        code = codes.normalise(query)
        if code:
            matches |= Q(certificate_code=code)
        return records.filter(matches)

    def paginate(self, records):
        return Paginator(records, self.paginate_by).get_page(self.request.GET.get("p"))


def manager_only(request):
    if not workspace_policy.user_has_permission(request.user, "bundle_certificates"):
        raise Http404


class BundleForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.all())


@require_POST
def bundle_start(request):
    """Start building a ZIP of a service's current certificates (managers only)."""
    manager_only(request)
    form = BundleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the services to build the ZIP for.")
        return redirect("certificates_admin:index")
    bundle = CertificateBundle.objects.create(
        service=form.cleaned_data["service"],
        requested_by=request.user,
        as_of=timezone.localdate(),
    )
    # On commit, so a worker on another backend finds the row the task is about.
    transaction.on_commit(lambda: build_certificate_bundle.enqueue(bundle.pk))
    return redirect("certificates_admin:bundle", pk=bundle.pk)


class BundleView(WagtailAdminTemplateMixin, TemplateView):
    """Progress of one ZIP, refreshing itself until it is ready."""

    template_name = "certificates/admin/bundle.html"
    page_title = "Certificates of a service"
    header_icon = "download"

    def get_breadcrumbs_items(self):
        return []

    def dispatch(self, request, *args, **kwargs):
        manager_only(request)
        self.bundle = get_object_or_404(
            CertificateBundle.objects.select_related("service"), **kwargs
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.bundle.service)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            bundle=self.bundle,
            finished=self.bundle.status
            in {CertificateBundle.Status.READY, CertificateBundle.Status.FAILED},
            download_url=reverse("certificates_admin:bundle_download", args=[self.bundle.pk]),
        )
        return context


@require_GET
def bundle_download(request, pk):
    manager_only(request)
    bundle = get_object_or_404(CertificateBundle, pk=pk, status=CertificateBundle.Status.READY)
    filename = f"certificates-{bundle.service.name}-{bundle.as_of:%Y-%m-%d}.zip"
    response = FileResponse(bundle.file.open("rb"), as_attachment=True, filename=filename)
    patch_cache_control(response, private=True, no_store=True)
    return response
