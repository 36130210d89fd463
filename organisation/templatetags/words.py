"""Templates ask for words here: `{% load words %}`, then `{{ side|side_name }}`,
`{{ stream|supervision_name }}`, `{{ status|status_word }}`, `{{ status|status_icon }}`,
`{{ status|status_phrase:day }}` ("Due by 14 December 2026")."""

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
def status_phrase(status, day=None):
    return words.status_phrase(status, day)


@register.filter
def status_urgency(status):
    return words.status_urgency(status)
