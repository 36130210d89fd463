"""One run at a time across hosts: a lease in the database (compliance.RunLock)."""

import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import RunLock


class LockHeld(Exception):
    pass


class LockLost(Exception):
    pass


def _ensure_row(name):
    try:
        with transaction.atomic():
            RunLock.objects.get_or_create(
                name=name, defaults={"expires_at": timezone.now() - timedelta(seconds=1)}
            )
    except IntegrityError:
        pass  # another run made it a moment ago


class Lease:
    def __init__(self, name, holder, lease):
        self.name, self.holder, self.lease = name, holder, lease

    def renew(self):
        """Extend the lease; LockLost if it ran out and another run took it."""
        renewed = RunLock.objects.filter(name=self.name, holder=self.holder).update(
            expires_at=timezone.now() + self.lease
        )
        if not renewed:
            raise LockLost(f"the {self.name} lock was taken over by another run")


@contextmanager
def run_lock(name, *, lease):
    """Hold the lock `name` for the block, or raise LockHeld (with when it frees)."""
    _ensure_row(name)
    holder = uuid.uuid4().hex
    now = timezone.now()
    taken = RunLock.objects.filter(name=name, expires_at__lt=now).update(
        holder=holder, expires_at=now + lease
    )
    if not taken:
        held = RunLock.objects.get(name=name)
        raise LockHeld(
            f"another {name} run is working (its lease runs until "
            f"{timezone.localtime(held.expires_at):%H:%M:%S})"
        )
    try:
        yield Lease(name, holder, lease)
    finally:
        RunLock.objects.filter(name=name, holder=holder).update(expires_at=timezone.now())
