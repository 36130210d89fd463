"""A peer support worker's own pages on the site, under /me/ (docs/architecture.md,
"Two doors"): today, my training, my supervision, what changed, and my account.

They compose both sides (training and supervision) and the audit log, so they live at
the top floor; every read goes through the scoping selectors and every change through
the services, as in the staff workspace.
"""
