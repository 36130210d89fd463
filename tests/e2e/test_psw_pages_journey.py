"""A peer support worker's own pages in the browser, on a laptop and on a phone: a new
starter follows "Start here" to a recorded completion; a PSW withdraws a pending
completion, reads why another was rejected, and signs off a session with a note."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from people import roles
from people.models import Service, User
from supervision.models import SupervisionArrangement, SupervisionSession
from training.models import TrainingModulePage, TrainingRecord

from .conftest import PASSWORD, look

pytestmark = pytest.mark.e2e
SIZES = pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
REASON = "The certificate you sent is for a different course."


def no_page_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        """limit => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > limit)
            .map(e => e.tagName + "." + e.className).slice(0, 5)""",
        page.viewport_size["width"],
    )
    assert width <= page.viewport_size["width"], f"the page is {width} px wide: {wide}"


def new_starter():
    person = User.objects.create_user(
        "new.starter",
        password=PASSWORD,
        first_name="Jo",
        last_name="Newton",
        service=Service.objects.get(name__startswith="Rehabilitation"),
        started_on=timezone.localdate(),
    )
    person.groups.add(Group.objects.get(name=roles.PSW))
    return person


@SIZES
def test_a_new_starter_follows_start_here_to_a_recorded_completion(open_as, a_pdf, phone):
    person = new_starter()
    page = open_as("new.starter", phone=phone)
    expect(page).to_have_url(f"{page.url.split('/me/')[0]}/me/")
    start = page.get_by_role("region", name="Start here")
    expect(start).to_be_visible()
    look(page, "psw-today-new-starter" + ("-phone" if phone else ""))
    no_page_overflow(page)
    start.get_by_role("link", name="Record my completion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record my completion")
    page.get_by_label("Date you completed it").fill(timezone.localdate().isoformat())
    page.get_by_label("Certificate or evidence").set_input_files(a_pdf)
    page.get_by_role("button", name="Record my completion").click()
    expect(page.locator(".message-success")).to_contain_text("Thank you")
    assert TrainingRecord.objects.filter(person=person, status="pending").count() == 1
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_text("Waiting for verification").first).to_be_visible()
    look(page, "psw-today-after-first-step" + ("-phone" if phone else ""))


@SIZES
def test_a_psw_withdraws_a_pending_completion_and_reads_why_another_was_rejected(open_as, phone):
    psw = User.objects.get(username="psw2")
    module = TrainingModulePage.objects.get(title="PMVA breakaway")
    today = timezone.localdate()
    TrainingRecord.objects.create(
        person=psw, module=module, provider="nhs", completed_on=today - timedelta(days=2)
    )
    TrainingRecord.objects.create(
        person=psw,
        module=module,
        provider="nhs",
        completed_on=today - timedelta(days=40),
        status="rejected",
        status_reason=REASON,
    )
    page = open_as("psw2", phone=phone)
    page.get_by_role("link", name="My training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My training")
    page.locator("details", has_text=REASON).get_by_text("see why").click()
    expect(page.get_by_text(REASON)).to_be_visible()
    look(page, "psw-my-training" + ("-phone" if phone else ""))
    no_page_overflow(page)
    pending = TrainingRecord.objects.filter(person=psw, status="pending").count()
    page.get_by_role("link", name="Withdraw your PMVA breakaway completion").first.click()
    look(page, "psw-withdraw" + ("-phone" if phone else ""))
    page.get_by_role("button", name="Withdraw it").click()
    expect(page.locator(".message-success")).to_contain_text("You have withdrawn")
    assert TrainingRecord.objects.filter(person=psw, status="pending").count() == pending - 1


@SIZES
def test_a_psw_signs_off_a_session_with_a_note(open_as, phone):
    psw = User.objects.get(username="psw3")
    arrangement = SupervisionArrangement.objects.filter(supervisee=psw, stream="nhs").first()
    SupervisionSession.objects.filter(arrangement__supervisee=psw).update(
        acknowledged_at=timezone.now()
    )
    session = SupervisionSession.objects.create(
        arrangement=arrangement,
        held_on=timezone.localdate(),
        notes="Talked about a hard week on the ward.",
        logged_by=arrangement.supervisor,
        confirmed_by=arrangement.supervisor,
        confirmed_at=timezone.now(),
    )
    page = open_as("psw3", phone=phone)
    page.get_by_role("link", name="My supervision").click()
    look(page, "psw-my-supervision" + ("-phone" if phone else ""))
    no_page_overflow(page)
    page.get_by_role("link", name="Read and sign off").first.click()
    expect(page.get_by_text("Talked about a hard week on the ward.")).to_be_visible()
    page.get_by_label("I see this differently (optional)").fill("It felt like a good week.")
    page.get_by_role("button", name="Sign off this session").click()
    expect(page.locator(".message-success")).to_contain_text("signed off")
    look(page, "psw-session-signed-off" + ("-phone" if phone else ""))
    session.refresh_from_db()
    assert session.acknowledged_at and session.supervisee_view == "It felt like a good week."
    page.get_by_role("link", name="What changed").click()
    expect(page.get_by_text("You signed off your NHS supervision session")).to_be_visible()
    look(page, "psw-what-changed" + ("-phone" if phone else ""))
    no_page_overflow(page)
    page.get_by_role("link", name="Account").click()
    look(page, "psw-account" + ("-phone" if phone else ""))
    no_page_overflow(page)
    # Every page the account and supervision pages lead to is in the site's look too.
    for link, name in [
        ("Change my password", "psw-password"),
        ("Two-factor sign-in", "psw-two-factor"),
        ("Set up two-factor sign-in", "psw-two-factor-setup"),
        ("My supervision", None),
        ("Log a session", "psw-log-session"),
    ]:
        page.get_by_role("link", name=link).first.click()
        page.wait_for_load_state("load")
        if name:
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert "Wagtail" not in page.content()
            look(page, name + ("-phone" if phone else ""))
            no_page_overflow(page)
        if link == "Change my password":
            page.go_back()
