"""Small checks that rule validators share, public so rule packs can reuse them.

A validator receives the :class:`re.Match` of a rule's pattern; ``match.string`` is the whole
text being sanitized, so context checks look at the same line around the match.
"""

from __future__ import annotations

import re

__all__ = [
    "is_placeholder_value",
    "line_after",
    "line_before",
    "looks_random",
    "luhn_valid",
]


#: Luhn's doubled digit, digit sums folded: "7" doubles to 14, counts 5.
_DOUBLED = {str(d): (2 * d) % 9 if d < 9 else 9 for d in range(10)}


def luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn checksum (payment cards, IMEIs)."""
    doubled = _DOUBLED
    total = sum(map(int, digits[-1::-2])) + sum(doubled[c] for c in digits[-2::-2])
    return total % 10 == 0


def line_before(match: re.Match[str], width: int = 40, group: int | str = 0) -> str:
    """Up to ``width`` characters before the match (or its ``group``), on the same line."""
    end = match.start(group)
    text = match.string
    start = max(text.rfind("\n", 0, end) + 1, end - width)
    return text[start:end]


def line_after(match: re.Match[str], width: int = 40, group: int | str = 0) -> str:
    """Up to ``width`` characters after the match (or its ``group``), on the same line."""
    start = match.end(group)
    text = match.string
    stop = text.find("\n", start, start + width)
    return text[start : stop if stop >= 0 else start + width]


_DIGIT_OR_SYMBOL = re.compile(r"[0-9\-_./+=~:@!#$%^&*]")


def looks_random(value: str, min_length: int = 8) -> bool:
    """Whether ``value`` looks like a generated credential rather than a word.

    True when it is at least ``min_length`` long and holds a digit or a symbol such as
    ``-_./+=``, or mixes cases and is 12+ long; or when it is 20+ long anyway. ``expired``,
    ``Negotiate`` and ``authentication`` do not; ``hunter2``, ``dXNlcjpwYXNz`` and ``a8f5-k2``
    do.
    """
    if len(value) < min_length:
        return False
    if len(value) >= 20 or _DIGIT_OR_SYMBOL.search(value):
        return True
    return len(value) >= 12 and not value.islower() and not value.isupper()


_PLACEHOLDER_VALUE = re.compile(
    r"""(?ix)
    (?:null|none|nil|undefined|true|false|empty|n/?a|-+|\?+
      |\**|x{3,}|\.{3,}|#+|_+
      |[-_*\[(]*(?:redacted|masked|hidden|filtered|removed|omitted|scrubbed|sanitized|censored)
       [-_*\])]*                      # [REDACTED], -REDACTED-, **MASKED**, (hidden)
      |[•●·]+                         # masked by a UI: ••••••
      |ENC\[.*                        # SOPS ciphertext: ENC[AES256_GCM,data:...]
      |vault:v[0-9]+:.*               # Vault transit ciphertext
      |hmac-sha(?:1|224|256|384|512):[0-9A-Za-z+/=]+   # a MAC, not the key behind it
      |<[^<>]*>                       # <redacted>, <your-token>, <EMAIL_1>
      |\$\{[^}]*\}?|\$\([^)]*\)?|\{\{.*|%\(?[a-z_]*\)?s|\$[A-Z_][A-Z0-9_]*
      |\(sensitive(?:[ ]value)?\)?|\(known(?:[ ]after[ ]apply\))?   # Terraform's masks
    )
    """
)


def is_placeholder_value(value: str) -> bool:
    """Whether ``value`` stands in for a secret instead of being one.

    ``null``, ``********``, ``[REDACTED]``, ``-REDACTED-``, ``<hidden>``, ``${DB_PASSWORD}``,
    ``{{ token }}``, ``%s``: logs that already mask a secret, or print a template, must come out
    unchanged. So must ciphertext and digests that are useless without a key the log does not
    hold: SOPS ``ENC[AES256_GCM,...]``, Vault ``vault:v1:...``, ``hmac-sha256:<digest>``.
    Terraform prints ``(sensitive value)`` and ``(known after apply)`` in place of values.
    """
    return _PLACEHOLDER_VALUE.fullmatch(value.strip("\"'")) is not None
