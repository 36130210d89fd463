from django import template

from .. import codes

register = template.Library()


@register.filter
def certificate_code(code):
    """A stored code as people read it: XXXX-XXXX-XXXX."""
    return codes.display(code) if code else ""


@register.filter
def renewal(module):
    """How long a module's completion lasts, in words."""
    months = module.renewal_months
    if months is None:
        return "Does not expire"
    return f"Renew every {months} month{'s' if months != 1 else ''}"
