"""Today's counts of the whole organisation, kept until something they count changes.

A manager's dashboard, the summary, this month's point on the trends and the weekly
digest all count every peer support worker's statuses on the day. Counted afresh, the
work grows with the organisation (docs/architecture.md, "Statuses are kept"). So the
counts are kept in the cache, one `states.Tally` per home service, under a key made of
the day, that service's `CountsVersion` and the organisation's: every change that can
move a count bumps the version of the services of the people it touches, in the same
transaction as the change. A reader takes the versions (one query), finds the tallies
kept under them, and counts afresh only the services whose version has moved, in one
set of queries for all of them. So after a record is verified in one service, the next
dashboard recounts that service alone.

What bumps a version (`compliance.state_hooks`): any rewrite of a person's kept dates
(records, exemptions, arrangements, sessions, placements), a change to a person's
service, start or leaving date, activity or roles, and a person's deletion. A rebuild
of every status (a module's rules, the organisation's settings, `refresh_statuses`, a
restore) and a service's deletion draw a new organisation number. The day is in the
key, so statuses that move with the date (expiring, expired, overdue) are counted
afresh on each new day. A kept tally also expires after `KEPT_FOR` as a safety net.
"""

from django.core.cache import cache
from django.db.models import Q

from people.models import Service, User
from people.selectors import psws

from . import states
from .models import CountsVersion
from .states import WHOLE, part

KEPT_FOR = 6 * 60 * 60  # seconds
KEY = "alongside:counts:{day}:{organisation}:{part}:{n}"


def kept_tallies(on, modules):
    """{home service id: states.Tally} of every peer support worker in post on `on`
    (today): kept ones where nothing has changed, the rest counted now."""
    versions = dict(CountsVersion.objects.values_list("part", "n"))
    if WHOLE not in versions:  # never numbered (a fresh or flushed database): count
        return count(User.objects.filter(pk__in=psws(on).values("pk")), on, modules)
    keys = {
        service_id: KEY.format(
            day=on.isoformat(),
            organisation=versions[WHOLE],
            part=part(service_id),
            n=versions.get(part(service_id), 0),
        )
        for service_id in [None, *Service.objects.values_list("pk", flat=True)]
    }
    kept = cache.get_many(keys.values())
    tallies = {sid: kept[key] for sid, key in keys.items() if key in kept}
    stale = [sid for sid in keys if sid not in tallies]
    if stale:
        homes = Q(service_id__in=[sid for sid in stale if sid is not None])
        if None in stale:
            homes |= Q(service_id__isnull=True)
        people = User.objects.filter(homes, pk__in=psws(on).values("pk"))
        fresh = count(people, on, modules)
        for sid in stale:
            tallies[sid] = fresh.get(sid, states.Tally())
        cache.set_many({keys[sid]: tallies[sid] for sid in stale}, timeout=KEPT_FOR)
    return tallies


def count(people, on, modules):
    return states.service_tallies(people, on, states.requirements_of(modules))
