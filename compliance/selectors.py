"""Whose compliance a user may look at: the people's statuses, by the access policy."""

from people.selectors import Sees, people_visible_to


def compliance_scope(user):
    """The people whose statuses `user` may see (the matrix keeps the PSWs among them)."""
    return people_visible_to(user, Sees.STATUS)
