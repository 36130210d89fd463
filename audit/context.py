"""Who is acting when there is no signed-in person: a command or a background task."""

from contextlib import contextmanager
from contextvars import ContextVar

_acting_as = ContextVar("audit_acting_as", default="")


def current_label():
    return _acting_as.get()


@contextmanager
def acting_as(label):
    """Mark history written inside the block as done by `label` ("command seed_demo")."""
    token = _acting_as.set(label)
    try:
        yield
    finally:
        _acting_as.reset(token)


class AuditedCommandMixin:
    """A management command whose changes say which command made them."""

    def execute(self, *args, **options):
        name = self.__class__.__module__.rsplit(".", 1)[-1]
        with acting_as(f"command {name}"):
            return super().execute(*args, **options)
