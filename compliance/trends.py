"""Compliance over time: month-end counts, written once and read by the trends page.

Counting every month end from the history on each visit grew with the organisation
and its years; instead the daily job writes each month's end once, as recorded then
(from the history tables, the same reconstruction as "as recorded on" views), and the
trends page reads those few rows. The current month's point is today's, counted from
the status tables.
"""

from collections import defaultdict
from datetime import timedelta
from itertools import islice

from django.db import transaction
from django.db.models import Sum

from people.models import User

from .loader import (
    LONGEST_INTERVAL_WEEKS,
    month_ends,
    organisation_counts,
    percent,
    recorded_facts,
    recorded_people,
    status_counts,
)
from .models import MonthEndCount

CHUNK = 1000
TRAINED, SUPERVISED = "trained", "supervised"


def counts_of(status):
    """{(service id, item): [people, compliant]} from an OrganisationStatus."""
    counts = defaultdict(lambda: [0, 0])
    for each in status.people:
        service_id = each.person.service_id
        for (module_id, provider), cell in each.requirements.items():
            tally = counts[service_id, f"{module_id}-{provider}"]
            tally[0] += 1
            tally[1] += cell.compliant
        for stream, cell in each.streams.items():
            tally = counts[service_id, f"s-{stream}"]
            tally[0] += 1
            tally[1] += cell.compliant
        for item, compliant in ((TRAINED, each.trained), (SUPERVISED, each.supervised)):
            tally = counts[service_id, item]
            tally[0] += 1
            tally[1] += compliant
    return counts


def month_end_record(day):
    """Write the counts of `day` (a month's end) as recorded at its end, a chunk of
    people at a time; replaces what was written for that day before."""
    people = recorded_people(User.objects.all(), day).on(day)
    # A stream whose last session was held more than the longest interval before a
    # day is overdue on it, whichever session that was: older ones can stay unread.
    held_from = day - timedelta(weeks=LONGEST_INTERVAL_WEEKS + 1)
    totals = defaultdict(lambda: [0, 0])
    chunks = iter(people)
    while chunk := list(islice(chunks, CHUNK)):
        facts = recorded_facts([p.pk for p in chunk], day, sessions_held_from=held_from)
        status = facts.statuses_on(chunk, day)
        for key, (total, compliant) in counts_of(status).items():
            totals[key][0] += total
            totals[key][1] += compliant
    for item in (TRAINED, SUPERVISED):  # an empty month is still a month written
        totals.setdefault((None, item), [0, 0])
    with transaction.atomic():
        MonthEndCount.objects.filter(month_end=day).delete()
        MonthEndCount.objects.bulk_create(
            MonthEndCount(month_end=day, service_id=s, item=item, people=n, compliant=c)
            for (s, item), (n, c) in totals.items()
        )
    return len(people)


def month_ends_missing(today, months):
    """The ends of the `months` months before today's that have no counts yet."""
    ends = month_ends(today, months + 1)[:-1]
    written = set(
        MonthEndCount.objects.filter(month_end__in=ends).values_list("month_end", flat=True)
    )
    return [day for day in ends if day not in written]


def monthly_compliance(scope, months, today, service_id=None, *, whole=False):
    """[(month end, people, % fully trained, % fully supervised)] for the last `months`:
    past month ends from their written counts (one query), today's from the status
    tables (kept between changes when `whole`: `scope` is everyone). A month end never
    written shows no figures."""
    ends = month_ends(today, months)
    rows = MonthEndCount.objects.filter(month_end__in=ends[:-1], item__in=[TRAINED, SUPERVISED])
    if service_id:
        rows = rows.filter(service_id=service_id)
    written = defaultdict(dict)
    for row in rows.values("month_end", "item").annotate(n=Sum("people"), c=Sum("compliant")):
        written[row["month_end"]][row["item"]] = (row["n"], row["c"])
    result = []
    for day in ends[:-1]:
        people, trained = written[day].get(TRAINED, (0, 0))
        _, supervised = written[day].get(SUPERVISED, (0, 0))
        result.append((day, people, percent(trained, people), percent(supervised, people)))
    if whole and not service_id:
        counts = organisation_counts(scope, today, whole=True)
    else:
        counts = status_counts(scope, today, service_id)
    people, trained, supervised = counts.totals()
    result.append((today, people, percent(trained, people), percent(supervised, people)))
    return result
