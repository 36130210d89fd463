"""The knowledge check on the site: the part of the module page about it, starting an
attempt, handing it in, and the result.

Routed under the module page's own address (TrainingModulePage's check/… routes), so
the questions are answered on the page that teaches them. Attempts are found through
`attempts_visible_to`: someone else's attempt answers 404 whatever its id.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from organisation import words
from people import roles

from . import check_rules, services
from .forms import AttemptForm
from .models import KnowledgeCheckAttempt
from .selectors import attempts_visible_to

ANCHOR = "#knowledge-check"


def check_context(module, request, today, form=None):
    """What the module page says about its check; None when it has none."""
    if not module.has_knowledge_check:
        return None
    bank = len(module.check_questions)
    context = {
        "per_attempt": min(module.check_question_count or bank, bank),
        "pass_mark": module.check_pass_mark,
        "attempts_per_day": module.check_attempts_per_day,
        "both_sides": len(module.providers()) > 1,
        "provider_name": words.side_name(module.check_provider),
        "preview": getattr(request, "is_preview", False),
    }
    if context["preview"]:
        context["form"] = AttemptForm(questions=module.check_question_bank())
    user = request.user
    if not roles.is_psw(user) or context["preview"]:
        return context
    own = KnowledgeCheckAttempt.objects.filter(person=user, module=module)
    taken = own.filter(submitted_on=today).count()
    open_attempt = own.filter(submitted_at__isnull=True).first()
    if open_attempt:
        form = form or AttemptForm(questions=open_attempt.questions)
        context["submit_url"] = module.check_url("check_attempt", open_attempt.pk)
    context.update(
        start_url=module.check_url("check_start"),
        open_attempt=open_attempt,
        form=form,
        taken_today=taken,
        attempts_left=check_rules.attempts_left(module.check_attempts_per_day, taken),
        start_problems=services.attempt_start_problems(
            module=module, taken_today=taken, today=today
        ),
        past=own.filter(submitted_at__isnull=False).order_by("-submitted_at")[:5],
    )
    return context


def _psw_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not roles.is_psw(request.user):
        raise PermissionDenied
    return None


def start(request, module):
    """POST: draw the questions (or continue the open attempt), then show them."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    refused = _psw_only(request)
    if refused:
        return refused
    try:
        services.attempt_start(
            person=request.user, module=module, today=timezone.localdate(), by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(module.url + ANCHOR)


def attempt(request, module, attempt_id):
    """GET: the result of an attempt (to its person and managers). POST: hand it in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    visible = attempts_visible_to(request.user).filter(module=module).select_related("record")
    if request.method == "POST":
        found = get_object_or_404(visible.filter(person=request.user), pk=attempt_id)
        return hand_in(request, module, found)
    found = get_object_or_404(visible.select_related("person"), pk=attempt_id)
    if found.submitted_at is None and found.person_id == request.user.pk:
        return redirect(module.url + ANCHOR)
    return TemplateResponse(
        request,
        "training/check_result.html",
        {"page": module, "attempt": found, "result": result_context(found, request.user)},
    )


def hand_in(request, module, found):
    if found.submitted_at is not None:
        messages.info(request, services.ALREADY_SUBMITTED)
        return redirect(module.check_url("check_attempt", found.pk))
    form = AttemptForm(request.POST, questions=found.questions)
    if form.is_valid():
        try:
            services.attempt_submit(
                attempt=found, answers=form.answers(), by=request.user, today=timezone.localdate()
            )
        except ValidationError as error:
            # Only a twin request handing it in a moment earlier gets here: the form
            # already checked every answer.
            if services.ALREADY_SUBMITTED not in error.messages:
                raise
            messages.info(request, services.ALREADY_SUBMITTED)
        return redirect(module.check_url("check_attempt", found.pk))
    context = check_context(module, request, timezone.localdate(), form=form)
    return module.render(request, context_overrides={"check": context})


def result_context(found, viewer):
    """Score, what was missed with its feedback, and what happens next."""
    missed = []
    handed_in = found.questions if found.submitted_at else []
    for number, question in enumerate(handed_in, start=1):
        chosen = found.answers.get(question["id"], [])
        if not check_rules.is_right(question["correct"], chosen):
            missed.append(
                {
                    "number": number,
                    "text": question["text"],
                    "chosen": [question["choices"][n] for n in chosen],
                    "right": [question["choices"][n] for n in question["correct"]],
                    "feedback": question["feedback"],
                }
            )
    context = {"missed": missed, "own": found.person_id == viewer.pk, "percent": None}
    if found.submitted_at is None:
        return context
    context["percent"] = round(100 * found.score / found.out_of)
    if not found.passed and context["own"]:
        taken = KnowledgeCheckAttempt.objects.filter(
            person=found.person, module=found.module, submitted_on=timezone.localdate()
        ).count()
        allowed = found.module.check_attempts_per_day
        context["next_on"] = check_rules.next_attempt_on(timezone.localdate(), allowed, taken)
        context["attempts_left"] = check_rules.attempts_left(allowed, taken)
    return context
