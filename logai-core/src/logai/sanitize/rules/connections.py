"""Default rules for credentials inside connection strings, in every dialect logs show them.

``key=value;`` strings (ADO.NET, ODBC, Azure Service Bus / Event Hubs / IoT Hub / Storage /
SignalR / Communication Services) hold keys named unlike anything :mod:`.secrets` knows
(``SharedAccessKey=``, ``AccessKey=``), and values that :mod:`.secrets` would cut short: ODBC
braces (``Pwd={a;b}}c}``) and values with spaces up to the next ``;``. URL forms
(``scheme://user:pw@host``, JDBC ``?password=``, libpq ``password=``) and Oracle
``user/password@service`` logins are the :mod:`.secrets` rules' work.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY
from logai.sanitize.validators import is_placeholder_value, line_after, line_before

__all__ = ["connection_rules"]

#: A value in braces (ODBC: ``}}`` is a literal ``}``), or one running to the next ``;`` that
#: may hold spaces; the value of a last key without ``;`` ends at a quote or the line end. At
#: most 512 characters (keys are under 100, signatures a few hundred): a line of
#: ``key= key= ...`` would otherwise be scanned to its end from each key, quadratic in its length.
_VALUE = r"""
    (?P<brace>\{)?
    (?P<value>(?(brace)(?:[^}\n]|\}\}){1,512}|[^\s;"'\\{}][^\t\n\r\f\v;"'\\]{0,511}(?<=[^ ])))
    (?(brace)\}|(?=[ ]*(?:;|["'\r\n\\]|$)))
"""

#: Only what the password rule cuts short: a value in braces, or one with spaces up to a ``;``;
#: both within 512 characters, so that a line of ``Pwd={ Pwd={ ...`` is not read to its end from
#: each ``Pwd``.
_PASSWORD_KEY = r"""(?x)
    (?<![A-Za-z0-9_-])(?:[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]|[Pp][Ww][Dd])[ \t]*=[ \t]*
    (?P<brace>\{)?
    (?P<value>(?(brace)(?:[^}\n]|\}\}){1,512}
      |(?=[^\n;]{1,512};)[^\s;"'\\{}]+(?:[ ]+[^\s;"'\\]+)+))  # a ";" within reach first
    (?(brace)\}|(?=[ ]*;))
"""

#: Names whose value is a credential in Azure-style connection strings, lower case.
_KEY_NAMES = frozenset({
    "sharedaccesskey", "sharedaccesssignature", "accountkey", "accesskey", "sharedsecret",
    "clientsecret", "secret", "apikey",
})  # fmt: skip
#: Starts at the end of the name (``key``, ``secret``, ``signature``), where hints shared with
#: the other rules find it; the validator reads the whole name back.
_KEY = (
    r"""(?x)(?P<keyword>[Kk][Ee][Yy]|[Ss][Ee][Cc][Rr][Ee][Tt]|[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee])
    [ \t]*=[ \t]*"""
    + _VALUE
)


_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"


def _in_connection_string(match: re.Match[str], name_length: int) -> bool:
    """Whether the match sits in a ``k=v;k=v`` string: a ``;`` right before its key or after."""
    before = line_before(match, name_length + 2)
    if before[: len(before) - name_length].rstrip(" ").endswith(";"):
        return True
    return line_after(match, 2).lstrip(" ").startswith(";")


def _connection_value_ok(match: re.Match[str], name_length: int = 0) -> bool:
    value = match.group("value")
    if is_placeholder_value(value):
        return False
    # "password=foo bar" in prose: the password rule takes the first word
    return match.group("brace") is not None or _in_connection_string(match, name_length)


def _connection_password_ok(match: re.Match[str]) -> bool:
    return not is_placeholder_value(match.group("value"))


def _connection_key_ok(match: re.Match[str]) -> bool:
    before = line_before(match, 24, "keyword")
    prefix = before[len(before.rstrip(_NAME_CHARS)) :]
    name = prefix + match.group("keyword")
    return (
        name.lower() in _KEY_NAMES
        and len(match.group("value")) >= 8
        and _connection_value_ok(match, len(prefix))
    )


def connection_rules() -> list[Rule]:
    """The connection-string credential rules of the default pack."""
    return [
        Rule(
            name="connection_string_password",
            kind="PASSWORD",
            pattern=_PASSWORD_KEY,
            validator=_connection_password_ok,
            group="value",
            description=(
                "Password=/Pwd= values of key=value; connection strings that hold braces "
                "(ODBC Pwd={a;b}}c}) or spaces up to the next ';'."
            ),
            hints=("pass", "pwd"),
            priority=CONTEXT_PRIORITY,
            example="Driver={ODBC Driver 18 for SQL Server};Server=db01;Uid=etl;Pwd={s3cr;t}}pw};",
            reach=0,
        ),
        Rule(
            name="connection_string_key",
            kind="SECRET",
            pattern=_KEY,
            validator=_connection_key_ok,
            group="value",
            description=(
                "Keys in connection strings: SharedAccessKey=, AccountKey=, AccessKey=, "
                "SharedAccessSignature=, Secret=, ClientSecret=, ApiKey= (Azure Service Bus, "
                "Event Hubs, IoT Hub, Storage, SignalR, App Configuration...)."
            ),
            hints=("key=", "secret", "signature="),
            priority=CONTEXT_PRIORITY,
            example=(
                "Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send;"
                "SharedAccessKey=q5Zr3kVx9Lm2Wn8Tp4Ys7Ub1Hc6Jd0Fg3Ke5Ra2Mo8="
            ),
            reach=0,
        ),
    ]
