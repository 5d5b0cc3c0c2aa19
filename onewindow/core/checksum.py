"""Check characters for human-typed identifiers (ISO 7064 MOD 37,36 over 0-9 A-Z).

It catches every single wrong character and every swap of two adjacent characters.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_M = 36


def check_character(body: str) -> str:
    """The check character for `body` (digits and upper-case letters only)."""
    product = _M
    for char in body.upper():
        value = ALPHABET.index(char)
        total = (product + value) % _M or _M
        product = (total * 2) % (_M + 1)
    return ALPHABET[(_M + 1 - product) % _M]


def is_valid(code: str) -> bool:
    code = code.strip().upper()
    if len(code) < 2 or any(c not in ALPHABET for c in code):
        return False
    return check_character(code[:-1]) == code[-1]
