"""One `send_reminders` run in its own process, for the tests that run two at once or
kill one: `python -m tests.compliance.reminder_run OUTBOX SECONDS_PER_EMAIL --today D`.

Each email is written to its own file in OUTBOX after SECONDS_PER_EMAIL, like a slow
mail server that has accepted it only once the file is there.
"""

import os
import sys
import time
import uuid
from pathlib import Path

import django


def main():
    outbox, delay, *arguments = sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.core.mail.backends.base import BaseEmailBackend
    from django.core.management import call_command
    from django.test.utils import override_settings

    class SlowOutbox(BaseEmailBackend):
        def send_messages(self, messages):
            for message in messages:
                time.sleep(float(delay))
                name = Path(outbox) / f"{uuid.uuid4().hex}.eml"
                name.with_suffix(".part").write_bytes(message.message().as_bytes())
                name.with_suffix(".part").rename(name)
            return len(messages)

    sys.modules[__name__].SlowOutbox = SlowOutbox
    with override_settings(EMAIL_BACKEND=f"{__name__}.SlowOutbox"):
        call_command("send_reminders", *arguments)


if __name__ == "__main__":
    main()
