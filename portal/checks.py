"""Start-up checks: an interrupted restore is reported by every command and server start."""

from django.core import checks


@checks.register()
def interrupted_restore(app_configs=None, databases=None, **kwargs):
    from .backups import restore_leftover

    leftover = restore_leftover()
    if leftover is None:
        return []
    return [
        checks.Warning(
            leftover.describe(),
            hint="Run `python manage.py restore --recover` to finish or undo it.",
            id="portal.W001",
        )
    ]
