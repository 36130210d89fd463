"""Today's counts, kept until something they count changes.

A manager's dashboard, the summary, this month's point on the trends and the weekly
digest count every peer support worker's statuses on the day; a service lead's landing
page counts their service's. Counted afresh on each visit, the work grows with the
organisation (docs/architecture.md, "Statuses are kept"). So the counts are kept in the
cache under a key made of the day, the organisation's number and the version of the
part they count (`CountsVersion`):

- the organisation's counts in `BUCKETS` parts, a `states.Tally` per home service for
  the people whose id falls in each bucket (`people:<bucket>`);
- a service's figures as its lead sees them (`service:<id>`).

Every change that can move a count bumps the versions of the parts of the people it
touches, in the same transaction as the change (`compliance.state_hooks`): any rewrite
of a person's kept dates (records, exemptions, arrangements, sessions, placements), a
change to a person's service, start or leaving date, activity or roles, a person's
deletion. A rebuild of every status (a module's rules, the organisation's settings,
`refresh_statuses`, a restore) and a service's deletion draw a new organisation number.
A reader takes the versions (one query), reads what is kept under them and counts
afresh only the stale parts, all of them in one set of queries: after a record is
verified, the next dashboard counts one bucket's people, a sixty-fourth of them. The
day is in the key, so statuses that move with the date (expiring, expired, overdue) are
counted afresh each day; a kept count also expires after `KEPT_FOR`, as a safety net.
"""

from django.core.cache import cache
from django.utils import timezone

from people.models import User
from people.selectors import psws

from . import states
from .models import CountsVersion
from .states import BUCKETS, WHOLE, bucket_of, bucket_part, service_part

KEPT_FOR = 6 * 60 * 60  # seconds
KEY = "alongside:counts:{day}:{organisation}:{part}:{n}"


def kept_tallies(on, modules):
    """{(bucket, home service id): states.Tally} of every peer support worker in post
    on `on` (today): kept ones where nothing has changed, the stale buckets counted now."""
    versions = dict(CountsVersion.objects.values_list("part", "n"))
    in_post = User.objects.filter(pk__in=psws(on).values("pk"))
    if WHOLE not in versions:  # never numbered (a fresh or flushed database): count
        return count(in_post, on, modules)
    keys = {b: key(on, versions, bucket_part(b)) for b in range(BUCKETS)}
    kept = cache.get_many(keys.values())
    stale = [b for b, k in keys.items() if k not in kept]
    if stale:
        fresh = count(stale_people(in_post, stale), on, modules)
        for b in stale:
            kept[keys[b]] = {k: t for k, t in fresh.items() if k[0] == b}
        cache.set_many({keys[b]: kept[keys[b]] for b in stale}, timeout=KEPT_FOR)
    return {k: t for b in range(BUCKETS) for k, t in kept[keys[b]].items()}


def stale_people(in_post, stale):
    """The people of the stale buckets: every one in post when all are stale, otherwise
    their ids, read once (the counting queries then find their rows by index)."""
    if len(stale) == BUCKETS:
        return in_post
    ids = in_post.annotate(bucket=bucket_of("pk")).filter(bucket__in=stale)
    return User.objects.filter(pk__in=list(ids.values_list("pk", flat=True)))


def kept_figures(service_id, on, make):
    """What `make()` counts of a service's people on `on`, kept until one of them (or
    the organisation's rules) changes: counted afresh on a day other than today."""
    part = service_part(service_id)
    versions = dict(CountsVersion.objects.filter(part__in=[WHOLE, part]).values_list("part", "n"))
    if WHOLE not in versions or on != timezone.localdate():
        return make()
    k = key(on, versions, part)
    found = cache.get(k)
    if found is None:
        found = make()
        cache.set(k, found, timeout=KEPT_FOR)
    return found


def key(on, versions, part):
    return KEY.format(
        day=on.isoformat(), organisation=versions[WHOLE], part=part, n=versions.get(part, 0)
    )


def count(people, on, modules):
    return states.service_tallies(people, on, states.requirements_of(modules))
