"""Secrets in infrastructure plan diffs: the new value of a changed attribute.

Terraform and OpenTofu print an in-place change as ``~ client_secret = "old" -> "new"``. The
plain ``password`` and ``secret_assignment`` rules see the name's assignment and take the old
value; the new one follows an arrow, not a name, and needs these rules. Attributes Terraform
knows are sensitive print as ``(sensitive value)``, which stays (see
:func:`~logai.sanitize.validators.is_placeholder_value`).
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import (
    CONTEXT_PRIORITY,
    NOT_SECRET_NAME,
    SECRET_KEY_NAME,
    name_before,
    secret_value_ok,
    spelled,
)
from logai.sanitize.validators import looks_random

__all__ = ["plan_rules"]

#: ``= "old" ->`` (or a masked or absent old value), then the new value in quotes.
_CHANGE = r"""
    \\?["']?[ \t]*=[ \t]*
    (?:"[^"\n]*"|\(sensitive[ ]value\)|null)
    [ \t]+->[ \t]+
    "(?P<value>[^"\n]+)"
"""
_PASSWORD_CHANGE = rf"""(?x)
    (?P<keyword>{spelled("pass")}(?:{spelled("word")}|{spelled("wd")}|{spelled("phrase")})?
      |{spelled("pwd")})
    {_CHANGE}
"""
_SECRET_CHANGE = rf"""(?x)
    (?P<keyword>{spelled("secret")}|{spelled("token")}|{spelled("key")}|{spelled("signature")})
    {_CHANGE}
"""
#: Both arrows, after a quoted and after a masked old value (the view reads ``-`` as a space).
_ARROW_HINTS = ('" -> "', ') -> "', 'l -> "')


def _password_change_ok(match: re.Match[str]) -> bool:
    name = name_before(match)
    keyword = match.group("keyword").lower()
    # ``pass`` and ``pwd`` alone must be the whole name or its last part: not ``bypass``.
    if keyword in {"pass", "pwd"} and name != keyword and name[-len(keyword) - 1] not in "_.-":
        return False
    value = match.group("value")
    return len(value.strip()) >= 3 and secret_value_ok(value)


def _secret_change_ok(match: re.Match[str]) -> bool:
    name = name_before(match)
    if name.endswith("key") and not SECRET_KEY_NAME.search(name):
        return False  # key_name, a bare key: names, not credentials
    if NOT_SECRET_NAME.search(name):
        return False
    value = match.group("value")
    return secret_value_ok(value) and looks_random(value, min_length=6)


def plan_rules() -> list[Rule]:
    """The plan-diff rules of the default pack."""
    return [
        Rule(
            name="plan_password_change",
            kind="PASSWORD",
            pattern=_PASSWORD_CHANGE,
            validator=_password_change_ok,
            group="value",
            description=(
                'The new value of a changed password in a Terraform plan: ~ db_password = "old" '
                '-> "new"; (sensitive value) stays.'
            ),
            hints=_ARROW_HINTS,
            priority=CONTEXT_PRIORITY,
            example='      ~ master_password = "0ldPassw0rd!" -> "N3wPassw0rd!"',
        ),
        Rule(
            name="plan_secret_change",
            kind="SECRET",
            pattern=_SECRET_CHANGE,
            validator=_secret_change_ok,
            group="value",
            description=(
                "The new value of a changed secret, token or credential key in a Terraform "
                'plan: ~ client_secret = "old" -> "new"; key_name and token_ttl stay.'
            ),
            hints=_ARROW_HINTS,
            priority=CONTEXT_PRIORITY,
            example='      ~ client_secret = "q8Z-2vN_7tY0pL4w" -> "x7K-9mB_3rT1sQ5e"',
        ),
    ]
