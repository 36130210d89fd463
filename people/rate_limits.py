"""Counting requests against a limit, per client address or per account.

The subject (an address, an email) is kept only as a keyed hash, and only for the
window it is counted in.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def current_window(seconds):
    return int(time.time() // seconds)


def over_limit(scope, subject, *, limit, window, seconds):
    """Count one more request by `subject` in `window`; True once over `limit`."""
    digest = hmac.new(settings.SECRET_KEY.encode(), str(subject).encode(), hashlib.sha256)
    key = f"{scope}:{digest.hexdigest()[:32]}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the entry expired between add and incr
        return False
