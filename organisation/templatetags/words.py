"""Templates ask for words here: `{% load words %}`, then `{{ side|side_name }}`,
`{{ stream|supervision_name }}`, `{{ status|status_word }}`, `{{ status|status_icon }}`,
and a session's facts: `{{ session.safeguarding_concern|flag_word }}`,
`{{ session.acknowledged_at|sign_off_word }}`, `{{ session.confirmed_at|confirmation_word }}`."""

from django import template

from .. import words

register = template.Library()


@register.filter
def side_name(side):
    return words.side_name(side) if side else ""


@register.filter
def module_provider_name(provider):
    return words.module_provider_name(provider)


@register.filter
def supervision_name(stream):
    return words.supervision_name(stream)


@register.filter
def status_word(status):
    return words.status_word(status)


@register.filter
def status_icon(status):
    return words.status_icon(status)


@register.filter
def flag_word(flagged):
    return words.flag_word(flagged)


@register.filter
def sign_off_word(signed_off):
    return words.sign_off_word(signed_off)


@register.filter
def confirmation_word(confirmed):
    return words.confirmation_word(confirmed)


@register.filter
def declined_word(declined):
    return words.declined_word(declined)
