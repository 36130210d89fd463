"""How a refusal in the staff workspace looks to a PSW, supervisor or service lead:
a 403 or 404, or (for a page that is not theirs) a redirect to their own page, with
nothing of the refused page in it (portal/middleware.py WorkspaceDoorMiddleware)."""

from portal.doors import landing_url


def sent_home(response, viewer):
    return response.status_code == 302 and response["Location"] == landing_url(viewer)


def refused(response, viewer):
    return response.status_code in (403, 404) or sent_home(response, viewer)
