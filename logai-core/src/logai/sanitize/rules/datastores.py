"""Default rules for datastore credentials: passwords in the statements and commands servers log.

Database servers log the statements they run (Postgres ``log_statement``, MySQL's general log,
SQL Server traces, Oracle audit), and a statement that creates or changes an account carries
its password as a literal: ``ALTER ROLE app PASSWORD 'x'``, ``IDENTIFIED BY 'x'``,
``CREATE LOGIN l WITH PASSWORD = N'x'``. Key-value stores and brokers do the same with commands
(``AUTH``, ``ACL SETUSER``, ``rabbitmqctl add_user``). None of these has an ``=`` after the
word ``password``, so the context rules in :mod:`.secrets` cannot see them.

Stored password hashes are redacted too: MySQL's ``*`` + 40 hex digits, Postgres' ``md5`` + 32
hex digits and SCRAM verifiers let an attacker log in without ever knowing the password
(pass-the-hash), or crack it offline.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY, KNOWN_FORMAT_PRIORITY, STOP_WORDS
from logai.sanitize.validators import is_placeholder_value, line_before

__all__ = ["datastore_rules"]


def _spelled(word: str) -> str:
    """``by`` as ``[Bb][Yy]``: case-insensitive, yet a cheap first test for the engine."""
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else re.escape(c) for c in word)


#: Words that follow ``IDENTIFIED BY`` without being a password: the hash or random forms.
_NOT_BARE = rf"(?!(?:{_spelled('password')}|{_spelled('values')}|{_spelled('random')})\b)"

#: A password as database servers log it; its content is group ``value``. Single quotes double
#: to escape (``'it''s'``) or take a backslash (MySQL); ``N'...'`` (SQL Server) and ``E'...'``
#: (Postgres) prefixes; ``"double"`` (MySQL, Oracle), also ``\\"escaped\\"`` inside JSON;
#: Postgres ``$$dollar$$`` and ``$tag$...$tag$``. A literal cut off by the end of the line still
#: counts: its rest is the value. Where the statement marks it with an empty ``may_be_bare``
#: group, an Oracle password without quotes (an identifier) too.
_LITERAL = rf"""
    (?:
        (?<![A-Za-z0-9_])[NnEe]?(?P<sq>')
      | (?P<dq>\\?")
      | (?P<dollar>\$[A-Za-z_]{{0,16}}\$)
      | (?(may_be_bare)|(?!)){_NOT_BARE}(?=[A-Za-z])
    )
    (?P<value>
        (?(sq)(?:[^'\\\n]|''|\\.)+
        |(?(dq)(?:[^"\\\n]|"")+
        |(?(dollar)(?:(?!(?P=dollar))[^\n])+
        |[A-Za-z][A-Za-z0-9_$#]{{0,127}}(?![A-Za-z0-9_$#'"]))))
    )
"""

_PASSWORD_WORD = _spelled("password")

_SQL_PASSWORD = rf"""(?x)
    (?:
        # Postgres CREATE/ALTER ROLE|USER ... [ENCRYPTED] PASSWORD '...'; MySQL IDENTIFIED WITH
        # mysql_native_password BY|AS '...' (also caching_sha2_password...); SQL Server
        # PASSWORD = N'...', OLD_PASSWORD = '...'; MySQL SET PASSWORD [FOR u] = [PASSWORD(]'...'
        (?<![A-Za-z0-9]){_PASSWORD_WORD}
        (?:
            [ \t]+{_spelled("for")}[ \t]+[^=\n]{{1,120}}?[ \t]*=[ \t]*
          | [ \t]*=[ \t]*
          | [ \t]+
          | [ \t]*(?=\()
          | ['"`]?\s+(?:{_spelled("by")}|{_spelled("as")})\s+  # IDENTIFIED WITH ..._password BY
        )
        (?:{_PASSWORD_WORD}[ \t]*)?(?:\([ \t]*)?
      | # MySQL IDENTIFIED BY '...', IDENTIFIED WITH plugin BY|AS '...'; Oracle IDENTIFIED BY pw,
        # IDENTIFIED BY VALUES '<hash>'
        (?P<identified>{_spelled("identified")})\s+
        (?:
            {_spelled("with")}\s+['"`]?[A-Za-z0-9_]+['"`]?\s+(?:{_spelled("by")}|{_spelled("as")})
          | {_spelled("by")}\s+{_spelled("values")}
          | {_spelled("by")}(?P<may_be_bare>)
        )
        \s+
    )
    {_LITERAL}
"""

#: MySQL 8 and Oracle ``ALTER USER ... IDENTIFIED BY new REPLACE old``: the current password.
#: Anchored at ``IDENTIFIED BY`` like :data:`_SQL_PASSWORD`, which takes the new one.
_SQL_REPLACED_PASSWORD = rf"""(?x)
    {_spelled("identified")}\s+{_spelled("by")}\s+
    (?:[NnEe]?'(?:[^'\\\n]|''|\\.)*'|\\?"(?:[^"\\\n]|"")*\\?"|[A-Za-z][A-Za-z0-9_$\#]*)
    \s+(?P<replace>{_spelled("replace")})(?P<may_be_bare>)[ \t]+
    {_LITERAL}
"""

#: Right before ``IDENTIFIED BY pw`` in a statement: the account (``CREATE USER scott``,
#: ``GRANT CONNECT TO scott``, ``CONNECT TO scott`` of a database link).
_ACCOUNT_BEFORE = re.compile(
    r"""(?ix)(?:\b(?:user|role|to|login|schema)\s+(?:"[^"]+"|'[^']*'(?:@'[^']*')?|[\w$#@.%-]+)
        |[`'"]@[`'"][^`'"]*[`'"])\s+$"""
)
#: A bind variable or parameter stands for a value the log does not show.
_BIND = re.compile(r"[?:@][A-Za-z0-9_]*")


def _literal_value_ok(value: str) -> bool:
    return not is_placeholder_value(value) and not _BIND.fullmatch(value)


def _sql_password_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if match.group("sq") or match.group("dq") or match.group("dollar"):
        return _literal_value_ok(value)
    if not _ACCOUNT_BEFORE.search(line_before(match, 120, "identified")):
        return False  # prose: "the request identified by trace_id" is no statement
    return value.lower() not in STOP_WORDS and _literal_value_ok(value)


def _sql_replaced_password_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    quoted = match.group("sq") or match.group("dq") or match.group("dollar")
    return (quoted or value.lower() not in STOP_WORDS) and _literal_value_ok(value)


# -- Redis ------------------------------------------------------------------------------------

#: Mechanisms of SMTP/IMAP ``AUTH``: the credential, if any, follows them.
_SASL_MECHANISMS = r"(?:PLAIN|LOGIN|XOAUTH2?|OAUTHBEARER|CRAM-MD5|DIGEST-MD5|SCRAM-SHA-[0-9]+|NTLM)"

_REDIS_AUTH = rf"""(?x)
    (?:
        # AUTH pw, AUTH user pw, HELLO 3 AUTH user pw; "AUTH" "user" "pw" as MONITOR logs it
        (?<![A-Za-z0-9_-])(?P<mq>")?(?(mq)(?:AUTH|auth|Auth)"|AUTH)(?P<auth>)[ \t]+
        (?:(?P<mech>{_SASL_MECHANISMS})[ \t]+(?=[A-Za-z0-9+/=]{{8,}}))?
        (?:(?(mq)"[^"\n]{{1,128}}"|[^\s"']{{1,128}})[ \t]+(?=\S))?
      | # CONFIG SET requirepass pw, masterauth pw (redis.conf echoed); the match starts at the
        # hint (pass, auth) and checks the rest of the name behind it
        (?:(?<={_spelled("require")}){_spelled("pass")}|(?<={_spelled("master")}){_spelled("auth")})
        "?[ \t]+
    )
    (?P<q>["'])?(?P<value>(?(q)(?:(?!(?P=q))[^\\\n]|\\.)+|[^\s"']+))(?(q)(?P=q))
    (?(auth)(?=[ \t]*(?:$|[\r\n"'\\])))
"""


def _redis_auth_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if match.group("auth") is not None:
        if match.group("mech") is None and re.fullmatch(_SASL_MECHANISMS, value):
            return False  # "AUTH PLAIN" announces a mechanism
        if value.lower().rstrip(".:,;!") in STOP_WORDS:
            return False  # "SMTP AUTH failed"
    return _literal_value_ok(value)


#: ``ACL SETUSER alice on >pw <old #<sha256>``: ``>`` adds a password, ``<`` removes one (and
#: so names it too), ``#`` adds it by its SHA-256.
_REDIS_ACL = r"""(?x)
    (?:(?<=\s)|(?<=\s"))(?:[<>]|\#(?=[0-9a-fA-F]{64}(?![0-9A-Za-z])))(?P<value>[^\s"']+)
"""


def _redis_acl_ok(match: re.Match[str]) -> bool:
    return "setuser" in line_before(match, 300).lower()


# -- MongoDB and message brokers --------------------------------------------------------------

_QUOTED_ARG = r"""(?P<uq>["'])(?:(?!(?P=uq))[^\\\n])*(?P=uq)"""
_MONGO = rf"""(?x)
    # db.changeUserPassword("user", "pw")
    {_spelled("changeUserPassword")}[ \t]*\([ \t]*
    {_QUOTED_ARG}[ \t]*,[ \t]*
    (?P<q>["'])(?P<value>(?:(?!(?P=q))[^\\\n])+)(?P=q)
"""

_BROKER_CLI = r"""(?x)
    # rabbitmqctl add_user user pw, change_password user pw, authenticate_user user pw
    # (starting at "_user", a hint shared with add_user and authenticate_user)
    (?:(?<![A-Za-z0-9_-]add)(?<=add)_user|(?<![A-Za-z0-9_-]authenticate)(?<=authenticate)_user
      |(?<![A-Za-z0-9_-])change_password)[ \t]+
    (?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)[ \t]+
    (?P<q>["'])?(?P<value>(?(q)(?:(?!(?P=q))[^\\\n])+|[^\s"']+))
"""


def _broker_cli_ok(match: re.Match[str]) -> bool:
    before = line_before(match, 200).lower()
    return "ctl" in before and _literal_value_ok(match.group("value"))


def _value_ok(match: re.Match[str]) -> bool:
    return _literal_value_ok(match.group("value"))


# -- password hashes --------------------------------------------------------------------------

_MYSQL_HASH = r"\*(?<![A-Za-z0-9*]\*)[0-9A-F]{40}(?![0-9A-Za-z])"
_POSTGRES_HASH = r"""(?x)
    (?:md5(?<![A-Za-z0-9_]md5)[0-9a-f]{32}
      |SCRAM-SHA-256(?<![A-Za-z0-9_]SCRAM-SHA-256)\$[0-9]{1,7}:[A-Za-z0-9+/=]{8,}
       \$[A-Za-z0-9+/=]{8,}:[A-Za-z0-9+/=]{8,})
    (?![0-9A-Za-z])
"""


def datastore_rules() -> list[Rule]:
    """The datastore credential rules of the default pack."""
    return [
        Rule(
            name="sql_password",
            kind="PASSWORD",
            pattern=_SQL_PASSWORD,
            validator=_sql_password_ok,
            group="value",
            description=(
                "Passwords in SQL statements: Postgres [ENCRYPTED] PASSWORD '...', $$...$$; "
                "MySQL/MariaDB IDENTIFIED BY '...', IDENTIFIED WITH plugin BY, SET PASSWORD, "
                "PASSWORD('...'); SQL Server PASSWORD = N'...'; Oracle IDENTIFIED BY pw, "
                "IDENTIFIED BY VALUES '...'."
            ),
            # "identified by " (not "...by"): the rare "y" then stops the one-pass hint scan
            # mid-hint, so the hint needs no scan of its own
            hints=("pass", "identified by ", "identified by\t"),
            priority=CONTEXT_PRIORITY,
            example="LOG:  statement: ALTER ROLE app_rw WITH LOGIN PASSWORD 'Wint3r-2026!'",
            reach=0,
        ),
        Rule(
            name="sql_password_replace",
            kind="PASSWORD",
            pattern=_SQL_REPLACED_PASSWORD,
            validator=_sql_replaced_password_ok,
            group="value",
            description=(
                "The current password in ALTER USER ... IDENTIFIED BY new REPLACE old "
                "(MySQL 8, Oracle)."
            ),
            hints=("identified by ", "identified by\t"),
            priority=CONTEXT_PRIORITY,
            example="ALTER USER app IDENTIFIED BY Spring2027x REPLACE Winter2026x;",
            reach=0,
        ),
        Rule(
            name="redis_auth",
            kind="PASSWORD",
            pattern=_REDIS_AUTH,
            validator=_redis_auth_ok,
            group="value",
            description=(
                "Redis AUTH pw, AUTH user pw, HELLO ... AUTH (also as MONITOR logs them), "
                'requirepass pw, "masterauth" "pw"; the credential after SMTP AUTH PLAIN.'
            ),
            hints=('auth"', "pass"),
            trigger="AUTH ",
            priority=CONTEXT_PRIORITY,
            example='1764064931.512 [0 10.0.3.9:52114] "AUTH" "default" "r3dis-Pa55"',
            reach=1,
        ),
        Rule(
            name="redis_acl_password",
            kind="PASSWORD",
            pattern=_REDIS_ACL,
            validator=_redis_acl_ok,
            group="value",
            description="Passwords in Redis ACL SETUSER rules: >pw, <pw and #<sha256>.",
            # One-character hints cost a memchr; SETUSER is checked on the few lines matched.
            hints=(">", "<", "#"),
            reach=0,
            priority=CONTEXT_PRIORITY,
            example="ACL SETUSER reporting on >Rep0rt-2026 ~report:* +@read",
        ),
        Rule(
            name="mongodb_password",
            kind="PASSWORD",
            pattern=_MONGO,
            validator=_value_ok,
            group="value",
            description=(
                'MongoDB shell passwords given by position: db.changeUserPassword("u", "pw") '
                '(pwd: "..." in createUser and updateUser is the password rule\'s).'
            ),
            hints=("changeuserpassword",),
            priority=CONTEXT_PRIORITY,
            example='> db.changeUserPassword("reporting", "N3w-Rep0rt!")',
            reach=1,
        ),
        Rule(
            name="broker_cli_password",
            kind="PASSWORD",
            pattern=_BROKER_CLI,
            validator=_broker_cli_ok,
            group="value",
            description=(
                "Passwords given to broker admin tools by position: rabbitmqctl add_user, "
                "change_password, authenticate_user."
            ),
            # "_user" would fold "_" into the prefilter's marker: every snake_case name a stop
            hints=("mqctl",),
            priority=CONTEXT_PRIORITY,
            example="+ rabbitmqctl add_user billing 'Bunny-2026!'",
        ),
        Rule(
            name="mysql_password_hash",
            kind="PASSWORD_HASH",
            pattern=_MYSQL_HASH,
            description=(
                "MySQL native password hashes (* and 40 hex digits): enough to log in "
                "(pass-the-hash)."
            ),
            hints=("*",),  # one character: found with a memchr, far cheaper than a regex scan
            reach=0,
            priority=KNOWN_FORMAT_PRIORITY,
            example="| app | localhost | *6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9 |",
        ),
        Rule(
            name="postgres_password_hash",
            kind="PASSWORD_HASH",
            pattern=_POSTGRES_HASH,
            description=(
                "Postgres password verifiers: md5 + 32 hex digits and SCRAM-SHA-256$...: "
                "enough to log in or to crack offline."
            ),
            hints=("scram-sha-256$",),
            trigger=r"md5[0-9a-f]{32}",
            priority=KNOWN_FORMAT_PRIORITY,
            example=("app | md5a3556571e93b0d20722ba62be61e8c2d | t"),
            reach=0,
        ),
    ]
