"""Today's counts of the whole organisation are kept between changes (compliance.counts):
after every kind of change they equal the counts made afresh, and a change in one
service recounts that service alone."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance import counts
from compliance.loader import organisation_counts, status_counts
from compliance.models import CountsVersion
from people import roles
from people import services as people_services
from people.models import User
from supervision.models import SupervisionArrangement
from tests import factories
from training import services as training_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    today = timezone.localdate()
    wards = factories.ServiceFactory(name="Ward 1")
    community = factories.ServiceFactory(name="CMHT 1")
    modules = [
        factories.module("Safeguarding", provider="both", renewal_months=36),
        factories.module("PMVA", provider="nhs", renewal_months=12, services=[wards]),
    ]
    people = []
    for n in range(8):
        person = factories.psw(service=wards if n % 2 else community)
        factories.TrainingRecordFactory(
            person=person,
            module=modules[n % 2],
            provider="nhs",
            completed_on=today - timedelta(days=n * 150),
        )
        factories.SessionFactory(
            arrangement__supervisee=person,
            arrangement__starts_on=today - timedelta(days=400),
            held_on=today - timedelta(days=n * 9),
        )
        people.append(person)
    return {
        "today": today,
        "wards": wards,
        "community": community,
        "modules": modules,
        "people": people,
    }


def kept(today):
    return organisation_counts(User.objects.all(), today, whole=True)


def fresh(today):
    return status_counts(User.objects.all(), today)


def assert_kept_is_fresh(today):
    assert kept(today) == fresh(today)


def recounted_services(monkeypatch):
    """Which home services the next read counts afresh (the rest come from the cache)."""
    seen = []
    count = counts.count

    def spy(people, on, modules):
        seen.append(set(people.values_list("service_id", flat=True)))
        return count(people, on, modules)

    monkeypatch.setattr(counts, "count", spy)
    return seen


def test_every_kind_of_change_leaves_the_kept_counts_equal_to_fresh_ones(organisation):
    today, people = organisation["today"], organisation["people"]
    manager = factories.manager()
    safeguarding, pmva = organisation["modules"]
    assert_kept_is_fresh(today)

    record = training_services.record_create(
        person=people[0],
        module=safeguarding,
        provider="employer",
        completed_on=today - timedelta(days=3),
        by=people[0],
    )
    assert_kept_is_fresh(today)
    training_services.record_verify(record=record, by=manager)
    assert_kept_is_fresh(today)
    record.refresh_from_db()
    training_services.record_reject(
        record=record, by=manager, reason="The date is the booking, not the course."
    )
    assert_kept_is_fresh(today)
    training_services.exemption_grant(
        person=people[1],
        module=pmva,
        provider="nhs",
        reason="On long-term leave",
        starts_on=today - timedelta(days=1),
        ends_on=None,
        by=manager,
    )
    assert_kept_is_fresh(today)

    arrangement = SupervisionArrangement.objects.filter(supervisee=people[2]).first()
    factories.SessionFactory(arrangement=arrangement, held_on=today)
    assert_kept_is_fresh(today)

    people_services.placement_start(
        person=people[0], service=organisation["wards"], starts_on=today, by=manager
    )
    assert_kept_is_fresh(today)

    moved = people[4]
    moved.service = organisation["wards"]
    moved.save()
    assert_kept_is_fresh(today)

    leaving = people[5]
    leaving.left_on = today - timedelta(days=1)
    leaving.save(update_fields=["left_on"])
    assert_kept_is_fresh(today)

    people[6].groups.remove(Group.objects.get(name=roles.PSW))
    assert_kept_is_fresh(today)
    people[6].groups.add(Group.objects.get(name=roles.PSW))
    assert_kept_is_fresh(today)

    newcomer = factories.psw(service=organisation["community"])
    assert_kept_is_fresh(today)
    newcomer.delete()  # added by mistake: nothing recorded yet
    assert_kept_is_fresh(today)

    pmva.services.set([organisation["community"]])
    pmva.save_revision().publish()
    assert_kept_is_fresh(today)

    closing = factories.ServiceFactory(name="Crisis house")
    factories.psw(service=closing)
    assert_kept_is_fresh(today)
    closing.delete()  # its people stay, with no service
    assert_kept_is_fresh(today)


def test_a_change_in_one_service_recounts_that_service_alone(organisation, monkeypatch):
    today, people = organisation["today"], organisation["people"]
    kept(today)  # every service counted and kept
    seen = recounted_services(monkeypatch)
    kept(today)
    assert seen == []  # nothing changed: nothing counted

    in_the_wards = next(p for p in people if p.service == organisation["wards"])
    factories.TrainingRecordFactory(
        person=in_the_wards,
        module=organisation["modules"][0],
        provider="employer",
        completed_on=today,
    )
    assert kept(today) == fresh(today)
    assert seen == [{organisation["wards"].pk}]


def test_a_sign_in_does_not_recount_anyone(organisation, client, monkeypatch):
    today = organisation["today"]
    kept(today)
    before = dict(CountsVersion.objects.values_list("part", "n"))
    client.force_login(organisation["people"][0])
    user = organisation["people"][0]
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert dict(CountsVersion.objects.values_list("part", "n")) == before


def test_a_new_day_is_counted_afresh(organisation, monkeypatch):
    today = organisation["today"]
    kept(today)
    seen = recounted_services(monkeypatch)
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert kept(tomorrow) == fresh(tomorrow)
    assert seen  # nothing of yesterday's was read as today's


def test_a_rebuild_of_every_status_draws_a_new_organisation_number(organisation):
    from django.core.management import call_command

    before = CountsVersion.objects.get(part=counts.WHOLE).n
    call_command("refresh_statuses", verbosity=0)
    assert CountsVersion.objects.get(part=counts.WHOLE).n != before
    assert_kept_is_fresh(organisation["today"])


def test_without_an_organisation_number_nothing_is_kept(organisation):
    CountsVersion.objects.filter(part=counts.WHOLE).delete()
    today = organisation["today"]
    assert kept(today) == fresh(today)
    assert not cache.get_many([f"alongside:counts:{today.isoformat()}:x"])


def test_the_dashboard_reads_kept_counts_in_fewer_queries_and_shows_the_change(
    organisation, client_for
):
    manager = factories.manager()
    client = client_for(manager)
    home = reverse("wagtailadmin_home")
    client.get(home)
    with CaptureQueriesContext(connection) as warm:
        first = client.get(home)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(home)
    assert len(warm) < len(cold)
    assert first.context["summary"]["people"] == len(organisation["people"])
    factories.psw(service=organisation["community"])
    assert client.get(home).context["summary"]["people"] == len(organisation["people"]) + 1
