"""Whose compliance a user may look at: the people's statuses, by the access policy."""

from people.selectors import Sees, people_visible_to, sees_everyone


def compliance_scope(user):
    """The people whose statuses `user` may see (the matrix keeps the PSWs among them)."""
    return people_visible_to(user, Sees.STATUS)


def sees_whole_organisation(user):
    """Whether `user`'s compliance scope is everyone (a manager's): their counts for
    today are the organisation's, kept between changes (`compliance.counts`)."""
    return sees_everyone(user, Sees.STATUS)
