"""The demo organisation: services and people.

Names are fictional. Training and supervision add their parts in their own `demo`
modules; `seed_demo` runs them in order.
"""

from contextlib import nullcontext
from datetime import timedelta

from django.contrib.auth.models import Group
from wagtail.models import Site

from organisation.models import OrganisationSettings
from organisation.words import Side
from people import roles
from people.history import afternoon_of, recorded_at
from people.models import Service, User
from people.services import placement_start

TRUST = "Leeds and York Partnership NHS Foundation Trust"

SERVICES = [
    ("Rehabilitation and Recovery Centre", Service.Kind.RECOVERY_CENTRE),
    ("CMHT 1", Service.Kind.CMHT),
    ("CMHT 2", Service.Kind.CMHT),
    ("CMHT 3", Service.Kind.CMHT),
    ("Inpatient unit 1", Service.Kind.INPATIENT),
    ("Inpatient unit 2", Service.Kind.INPATIENT),
]

# username, first name, last name, role, service, started (days before today)
PEOPLE = [
    ("psw1", "Aisha", "Khan", roles.PSW, "Rehabilitation and Recovery Centre", 1400),
    ("psw2", "Tom", "Whitaker", roles.PSW, "Rehabilitation and Recovery Centre", 900),
    ("psw3", "Grace", "Okafor", roles.PSW, "CMHT 1", 1100),
    ("psw4", "Daniel", "Firth", roles.PSW, "CMHT 2", 700),
    ("psw5", "Megan", "Holroyd", roles.PSW, "CMHT 3", 200),
    ("psw6", "Leah", "Bramley", roles.PSW, "CMHT 2", 7),  # a new starter, last week
    ("nhs.rc", "Priya", "Raman", roles.SUPERVISOR, "Rehabilitation and Recovery Centre", 2500),
    ("nhs.cmht", "Mark", "Sutcliffe", roles.SUPERVISOR, "CMHT 1", 2600),
    ("mind.supervisor", "Helen", "Brooks", roles.SUPERVISOR, None, 2200),
    ("manager", "Sam", "Lister", roles.MANAGER, None, 3000),
    (
        "lead.rc",
        "Joanne",
        "Pickering",
        roles.SERVICE_LEAD,
        "Rehabilitation and Recovery Centre",
        2800,
    ),
]

ADMIN = ("admin", "Site", "Administrator")

# In-reach to the wards: username, service, started (days before today), what they do.
PLACEMENTS = [
    ("psw1", "Inpatient unit 1", 300, "In-reach, Tuesdays and Thursdays"),
    ("psw2", "Inpatient unit 1", 250, "In-reach and post-discharge support"),
    ("psw3", "Inpatient unit 2", 400, "In-reach, one day a week"),
    ("psw4", "Inpatient unit 2", 200, "In-reach and post-discharge support"),
    ("psw5", "Inpatient unit 2", 10, "In-reach, from this month"),  # a new placement
]

# Which organisation each supervisor belongs to, and their trust or team.
SIDES = {
    "nhs.rc": (Side.NHS, f"{TRUST}, Rehabilitation and Recovery Centre"),
    "nhs.cmht": (Side.NHS, f"{TRUST}, CMHT 1"),
    "mind.supervisor": (Side.EMPLOYER, "Peer support team"),
}


def seed_services():
    return {
        name: Service.objects.update_or_create(name=name, defaults={"kind": kind, "trust": TRUST})[
            0
        ]
        for name, kind in SERVICES
    }


def seed_people(*, password, today):
    """Create or refresh the demo accounts; returns them by username."""
    services = seed_services()
    people = {}
    for username, first, last, role, service, started_days in PEOPLE:
        started_on = today - timedelta(days=started_days)
        with _joining(username, started_on):
            person = _upsert_user(
                username,
                first,
                last,
                password,
                service=services.get(service),
                started_on=started_on,
                **_side(username),
            )
            person.groups.set([Group.objects.get(name=role)])
        people[username] = person
    username, first, last = ADMIN
    people[username] = _upsert_user(username, first, last, password, is_superuser=True)
    _name_the_organisation()
    seed_placements(people=people, services=services, today=today)
    return people


def seed_placements(*, people, services, today):
    """In-reach placements to the inpatient units, unless the person has them."""
    for username, service, started_days, description in PLACEMENTS:
        person = people[username]
        if person.placements.exists():
            continue
        starts_on = today - timedelta(days=started_days)
        with recorded_at(afternoon_of(starts_on)):
            placement_start(
                person=person,
                service=services[service],
                starts_on=starts_on,
                description=description,
                by=people["manager"],
            )


def _side(username):
    if username not in SIDES:
        return {}
    side, unit = SIDES[username]
    return {"side": side, "organisation_unit": unit}


def _joining(username, started_on):
    """New demo people are recorded as joining on their start date."""
    if started_on is None or User.objects.filter(username=username).exists():
        return nullcontext()
    return recorded_at(afternoon_of(started_on))


def _upsert_user(username, first, last, password, **fields):
    person, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_active": True,
            "is_staff": fields.get("is_superuser", False),
            **fields,
        },
    )
    person.set_password(password)
    person.save(update_fields=["password"])
    return person


def _name_the_organisation():
    site = Site.objects.get(is_default_site=True)
    OrganisationSettings.objects.update_or_create(
        site=site, defaults={"name": "Leeds Mind", "short_name": "Leeds Mind"}
    )
