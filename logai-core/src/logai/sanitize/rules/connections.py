"""Default rules for credentials inside connection strings, in every dialect logs show them.

``key=value;`` strings (ADO.NET, ODBC, Azure Service Bus / Event Hubs / IoT Hub / Storage /
SignalR / Communication Services) hold keys named unlike anything :mod:`.secrets` knows
(``SharedAccessKey=``, ``AccessKey=``), and values that :mod:`.secrets` would cut short: ODBC
braces (``Pwd={a;b}}c}``) and values with spaces up to the next ``;``. Oracle tools take
``user/password@service`` on their command line. URL forms (``scheme://user:pw@host``,
JDBC ``?password=``, libpq ``password=``) are the :mod:`.secrets` rules' work.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY
from logai.sanitize.validators import is_placeholder_value, line_after, line_before

__all__ = ["connection_rules"]

#: A value in braces (ODBC: ``}}`` is a literal ``}``), or one running to the next ``;`` that
#: may hold spaces; the value of a last key without ``;`` ends at a quote or the line end.
_VALUE = r"""
    (?P<brace>\{)?
    (?P<value>(?(brace)(?:[^}\n]|\}\})+|[^\s;"'\\{}]+(?:[ ]+[^\s;"'\\]+)*))
    (?(brace)\}|(?=[ ]*(?:;|["'\r\n\\]|$)))
"""

_PASSWORD_KEY = r"""(?x)
    (?<![A-Za-z0-9_-])(?:[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]|[Pp][Ww][Dd])[ \t]*=[ \t]*
""" + _VALUE

#: Keys whose value is a credential in Azure-style connection strings.
_KEYS = (
    "SharedAccessKey", "SharedAccessSignature", "AccountKey", "AccessKey", "SharedSecret",
    "ClientSecret", "Secret", "ApiKey",
)  # fmt: skip
_KEY = (
    r"(?x)(?<![A-Za-z0-9_-])(?:"
    + "|".join("".join(f"[{c.upper()}{c.lower()}]" for c in key) for key in _KEYS)
    + r")[ \t]*=[ \t]*"
    + _VALUE
)


def _in_connection_string(match: re.Match[str]) -> bool:
    """Whether the match sits in a ``k=v;k=v`` string: a ``;`` right before its key or after."""
    if line_before(match, 2).rstrip(" ").endswith(";"):
        return True
    return line_after(match, 2).lstrip(" ").startswith(";")


def _connection_value_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if is_placeholder_value(value):
        return False
    if match.group("brace") is None and not _in_connection_string(match):
        return False  # "password=foo bar" in prose: the password rule takes the first word
    return True


def _connection_key_ok(match: re.Match[str]) -> bool:
    return _connection_value_ok(match) and len(match.group("value")) >= 8


# -- Oracle user/password@service -------------------------------------------------------------

_ORACLE_LOGIN = r"""(?x)
    (?<![A-Za-z0-9_-])
    (?:
        (?i:sqlplus|connect|conn|sqlldr|dgmgrl|(?:exp|imp)(?:dp)?
           |rman[ \t]+(?:target|catalog|auxiliary)[ \t]*=?)
        [ \t]+(?:-[A-Za-z]+[ \t]+)*(?:(?i:userid)[ \t]*=[ \t]*)?
      | (?i:jdbc:oracle:(?:thin|oci8?):)
    )
    ["']?
    (?P<user>[A-Za-z][A-Za-z0-9_$#.]{0,127})
    /
    (?P<q>")?(?P<value>(?(q)[^"\n]+|[^\s/@"'\\]+))(?(q)")
    (?P<at>@)?
    (?=[ \t"'\\]|$|(?<=@))
"""
_VERSIONISH = re.compile(r"[0-9.]+")
#: ``connect http/1.1``: protocols, not accounts.
_PROTOCOLS = frozenset({"http", "https", "tcp", "udp", "tls", "ssl", "h2", "quic", "ws", "wss"})


def _oracle_login_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if match.group("user").lower() in _PROTOCOLS or _VERSIONISH.fullmatch(value):
        return False
    return not is_placeholder_value(value)


def connection_rules() -> list[Rule]:
    """The connection-string credential rules of the default pack."""
    return [
        Rule(
            name="connection_string_password",
            kind="PASSWORD",
            pattern=_PASSWORD_KEY,
            validator=_connection_value_ok,
            group="value",
            description=(
                "Password=/Pwd= values of key=value; connection strings that hold braces "
                "(ODBC Pwd={a;b}}c}) or spaces up to the next ';'."
            ),
            hints=("password", "pwd"),
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
            hints=(
                "sharedaccesskey=", "sharedaccesssignature=", "accountkey=", "accesskey=",
                "sharedsecret=", "clientsecret=", "secret=", "apikey=",
            ),  # fmt: skip
            priority=CONTEXT_PRIORITY,
            example=(
                "Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send;"
                "SharedAccessKey=q5Zr3kVx9Lm2Wn8Tp4Ys7Ub1Hc6Jd0Fg3Ke5Ra2Mo8="
            ),
            reach=0,
        ),
        Rule(
            name="oracle_login",
            kind="PASSWORD",
            pattern=_ORACLE_LOGIN,
            validator=_oracle_login_ok,
            group="value",
            description=(
                "Oracle user/password@service logins: sqlplus, CONNECT, exp/imp(dp), rman, "
                "sqlldr userid=, jdbc:oracle:thin:user/pw@host."
            ),
            hints=(
                "sqlplus", "conn", "sqlldr", "dgmgrl", "exp", "imp", "rman", "jdbc:oracle:",
            ),  # fmt: skip
            priority=CONTEXT_PRIORITY,
            example="+ sqlplus -s scott/Tiger2026@//db01.example.com:1521/ORCLPDB1 @report.sql",
            reach=0,
        ),
    ]
