"""Rules about people, as pure functions of plain data (docs/architecture.md, "Rules")."""


def has_left(*, left_on, on):
    """True from the day after `left_on`: the day they leave is their last day in post."""
    return left_on is not None and on > left_on


def in_post(*, is_active, left_on, on):
    """Whether a person counts on day `on`: an active account that has not left."""
    return is_active and not has_left(left_on=left_on, on=on)
