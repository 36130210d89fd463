"""Templates ask for words here: `{% load words %}`, then `{{ side|side_name }}`,
`{{ stream|supervision_name }}`, `{{ status|status_word }}`, `{{ status|status_icon }}`,
`{{ status|status_phrase:day }}` ("Due by 14 December 2026"),
and a session's facts: `{{ session.safeguarding_concern|flag_word }}`,
`{{ session.acknowledged_at|sign_off_word }}`, `{{ session.confirmed_at|confirmation_word }}`."""

from django import template

from .. import words

register = template.Library()


@register.filter
def side_name(side):
    return words.side_name(side) if side else ""


# Each of these filters is the vocabulary's function of the same name.
for _name in (
    "module_provider_name",
    "supervision_name",
    "status_word",
    "status_icon",
    "status_urgency",
    "flag_word",
    "sign_off_word",
    "confirmation_word",
    "declined_word",
):
    register.filter(_name, getattr(words, _name))


@register.filter
def status_phrase(status, day=None):
    return words.status_phrase(status, day)
