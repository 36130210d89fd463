"""Certificate codes: 12 characters of Crockford base32 from a cryptographic source.

Shown as XXXX-XXXX-XXXX; matched without regard to case or dashes (and with Crockford's
look-alikes: O reads as 0, I and L as 1).
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """The stored form of a typed code, or None when it cannot be one."""
    code = text.upper().replace("-", "").replace(" ", "").translate(_LOOKALIKES)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code):
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))
