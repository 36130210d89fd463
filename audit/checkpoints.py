"""Checkpoints: the head of every chain, signed, kept outside the database.

A chain can prove that nothing inside it was changed, but not that nothing was cut off
its end: deleting the newest history row and its entry leaves a shorter chain that
still verifies. A checkpoint records each chain's length and last seal at a moment;
`verify_audit --since-checkpoint FILE` later finds any chain now shorter, or rewritten,
than the checkpoint saw. Each backup writes one, and `verify_audit --checkpoint FILE`
writes one on demand. The signature (HMAC under AUDIT_KEY) stops someone who can edit
files from making a checkpoint that agrees with a trimmed log.
"""

import hmac
import json

from django.utils import timezone

from . import chain

FORMAT = 1


class CheckpointRefused(Exception):
    pass


def _signed_text(payload):
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def checkpoint_make(report):
    """The signed checkpoint (a dict, ready for JSON) of a verified log."""
    key = chain.current_key()
    payload = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "rows": report.rows,
        "records": len(report.heads),
        "digest": report.digest,
        "heads": {name: list(head) for name, head in sorted(report.heads.items())},
        "key_id": chain.key_id(key),
    }
    return {**payload, "signature": chain.sign(key, _signed_text(payload))}


def checkpoint_text(checkpoint):
    return json.dumps(checkpoint, indent=1, sort_keys=True) + "\n"


def checkpoint_read(text):
    """The checkpoint in `text` once its signature is checked; CheckpointRefused if not."""
    try:
        checkpoint = json.loads(text)
        payload = {name: value for name, value in checkpoint.items() if name != "signature"}
        signature = checkpoint["signature"]
        heads = checkpoint["heads"]
        if checkpoint["format"] != FORMAT or not isinstance(heads, dict):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise CheckpointRefused("this is not an audit checkpoint") from None
    key = chain.known_keys().get(checkpoint.get("key_id"))
    if key is None:
        raise CheckpointRefused(
            "the checkpoint was signed with a key this site does not know "
            "(set AUDIT_PREVIOUS_KEYS to the key it was signed with)"
        )
    if not hmac.compare_digest(chain.sign(key, _signed_text(payload)), str(signature)):
        raise CheckpointRefused("the checkpoint's signature does not match: it was altered")
    checkpoint["heads"] = {name: tuple(head) for name, head in heads.items()}
    return checkpoint
