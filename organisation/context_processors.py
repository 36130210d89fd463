def organisation(request):
    """`organisation` in every template rendered for a request: name, logo, signatory."""
    from .current import current_organisation

    return {"organisation": current_organisation(request)}
