"""Rules about people, as pure functions of plain data (docs/architecture.md, "Rules")."""


def in_post(*, is_active, left_on, on):
    """Whether a person counts on day `on`: an active account that has not left by then
    (the day they leave is their last day in post)."""
    return is_active and (left_on is None or on <= left_on)
