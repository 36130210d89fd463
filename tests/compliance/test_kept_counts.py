"""Today's counts of the whole organisation are kept between changes (compliance.counts):
after every kind of change they equal the counts made afresh, and a change in one
service recounts that service alone."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance import counts
from compliance.loader import organisation_counts, organisation_status, status_counts
from compliance.models import CountsVersion
from compliance.states import BUCKETS
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


def figures(counts):
    """What the pages show, through the interface both kinds of counts share."""
    return (
        counts.totals(),
        counts.requirement_compliance(),
        {key: n for key, n in counts.due_by_counts().items() if n},
        counts.stream_counts(),
        counts.service_compliance(),
    )


def assert_kept_is_fresh(today):
    """The kept counts are those counted afresh from the status tables, and those the
    rules give from everyone's statuses one by one."""
    counted = kept(today)
    assert counted == fresh(today)
    assert figures(counted) == figures(organisation_status(User.objects.all(), today))


def recounted(monkeypatch):
    """Whom the next reads count afresh (the rest come from the cache)."""
    seen = []
    count = counts.count

    def spy(people, on, modules):
        seen.append(set(people.values_list("pk", flat=True)))
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


def test_a_change_to_one_person_recounts_their_bucket_alone(organisation, monkeypatch):
    today, people = organisation["today"], organisation["people"]
    kept(today)  # everyone counted and kept
    seen = recounted(monkeypatch)
    kept(today)
    assert seen == []  # nothing changed: nothing counted

    changed = people[3]
    factories.TrainingRecordFactory(
        person=changed, module=organisation["modules"][0], provider="employer", completed_on=today
    )
    assert kept(today) == fresh(today)
    bucket = {p.pk for p in people if p.pk % BUCKETS == changed.pk % BUCKETS}
    assert seen == [bucket]
    assert len(bucket) < len(people)


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
    seen = recounted(monkeypatch)
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


def service_figures(client):
    response = client.get(reverse("compliance:service"))
    assert response.status_code == 200
    return response.context["people"], response.context["headline"], response.context["training"]


def test_a_service_leads_figures_follow_every_change_to_who_works_there(organisation, client_for):
    wards, community = organisation["wards"], organisation["community"]
    today, people = organisation["today"], organisation["people"]
    manager = factories.manager()
    client = client_for(factories.service_lead(service=wards))

    def kept_is_fresh():
        kept_figures = service_figures(client)
        cache.clear()
        assert service_figures(client) == kept_figures
        return kept_figures[0]

    assert kept_is_fresh() == 4
    placement = people_services.placement_start(
        person=people[0], service=wards, starts_on=today, by=manager
    )
    assert kept_is_fresh() == 5  # placed here today
    factories.TrainingRecordFactory(
        person=people[0], module=organisation["modules"][1], provider="nhs", completed_on=today
    )
    kept_is_fresh()  # a placed person's record: counted here too
    placement.delete()
    assert kept_is_fresh() == 4
    moving = people[1]
    moving.service = community
    moving.save()
    assert kept_is_fresh() == 3  # moved away
    people[3].groups.clear()
    assert kept_is_fresh() == 2  # no longer a peer support worker


on_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="A reader beside an open write transaction needs PostgreSQL: SQLite makes "
    "the reader wait.",
)


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_read_while_a_change_is_committed_never_keeps_the_old_counts_as_new(organisation):
    """The version is bumped inside the change's transaction: a dashboard read while it
    is open keeps what it counted under the old number, never under the new one."""
    today = organisation["today"]
    safeguarding = organisation["modules"][0]
    before = kept(today)
    inside, release = threading.Event(), threading.Event()

    def change():
        from django.db import connection as own_connection

        try:
            with transaction.atomic():
                factories.TrainingRecordFactory(
                    person=organisation["people"][2],
                    module=safeguarding,
                    provider="employer",
                    completed_on=today,
                )
                inside.set()
                release.wait(30)
        finally:
            own_connection.close()

    writer = threading.Thread(target=change)
    writer.start()
    assert inside.wait(30)
    cache.clear()  # the read while the change is open counts afresh, and keeps it
    assert kept(today) == before == fresh(today)
    release.set()
    writer.join(30)
    after = kept(today)
    assert after == fresh(today)
    assert after != before
