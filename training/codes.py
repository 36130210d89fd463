"""Certificate codes: 12 characters of Crockford base32 from a cryptographic source.

Shown as XXXX-XXXX-XXXX; matched without regard to case or dashes (and with Crockford's
look-alikes: O reads as 0, I and L as 1).
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_LOOKALIKE_DIGITS = {"O": "0", "I": "1", "L": "1"}
_LOOKALIKES = str.maketrans(_LOOKALIKE_DIGITS)


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text):
    """The stored form of a typed code, or None when it cannot be one."""
    code = text.upper().replace("-", "").replace(" ", "").translate(_LOOKALIKES)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def lookalikes_read(text):
    """What `normalise` read differently in a typed code, as people say it:
    ["L read as 1", "O read as 0"] (each letter once, in the order typed)."""
    seen = []
    for letter in text.upper():
        if letter in _LOOKALIKE_DIGITS and letter not in seen:
            seen.append(letter)
    return [f"{letter} read as {_LOOKALIKE_DIGITS[letter]}" for letter in seen]


def display(code):
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))
