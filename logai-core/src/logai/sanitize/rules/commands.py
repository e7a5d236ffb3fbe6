"""Passwords given on command lines, as shell histories, CI logs and process listings show them.

``mysql -u root -pS3cret`` (the MySQL family takes the password glued to ``-p``), and long
options followed by a space: ``--password S3cret``, ``--db-password 'x y'``, keytool's
``-storepass changeit``. ``--password=S3cret`` is the plain ``password`` rule's work. A bare
``-p`` of other programs means anything (a port, ``mkdir -p``), so it stays.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY, name_before, secret_value_ok, spelled
from logai.sanitize.validators import is_placeholder_value, line_before

__all__ = ["command_rules"]

_QUOTED_OR_BARE = r"""(?P<q>["'])?(?P<value>(?(q)(?:(?!(?P=q))[^\\\n])+|[^\s"'`;|&<>()]+))"""

#: ``-p`` glued to its value: the MySQL and MariaDB clients' way.
_MYSQL_GLUED = rf"(?<![A-Za-z0-9_-])-p{_QUOTED_OR_BARE}"
#: The programs that read ``-pVALUE`` as a password, as the command word before it.
_MYSQL_PROGRAM = re.compile(
    r"(?:^|[\s/;|&(`$'\"])(?:mysql(?:dump|admin|import|check|show|pump|slap|binlog)?"
    r"|mariadb(?:-dump|-admin|-import|-check|-show|-slap)?)(?:\.exe)?\s"
)

#: A long option naming a password, then a space and the value: ``--password S3cret``.
_OPTION_SPACE = rf"""(?x)
    (?P<keyword>{spelled("pass")}(?:{spelled("word")}|{spelled("wd")}|{spelled("phrase")})?
      |{spelled("pwd")})
    [ \t]+{_QUOTED_OR_BARE}
"""


def _mysql_glued_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if is_placeholder_value(value) or value.startswith("-"):
        return False
    return _MYSQL_PROGRAM.search(line_before(match, 200)) is not None


#: Programs whose ``--password`` takes no value (it makes them prompt): what follows it is
#: the next argument, a database name (``pg_dump --password orders``).
_PROMPTING_PROGRAM = re.compile(
    r"(?:^|[\s/;|&(`$'\"])(?:psql|pg_dump(?:all)?|pg_restore|pg_basebackup|createdb|dropdb"
    r"|createuser|dropuser|vacuumdb|reindexdb|clusterdb|pgbench"
    r"|mysql(?:dump|admin|import|check|show|pump|slap)?|mariadb(?:-[a-z]+)?)(?:\.exe)?\s"
)


def _option_ok(match: re.Match[str]) -> bool:
    name = name_before(match)  # "--db-password", "-storepass", or "password" in prose
    if not name.startswith("-") or name.startswith("-" * 3):
        return False
    if name == "--password" and _PROMPTING_PROGRAM.search(line_before(match, 200, "keyword")):
        return False
    value = match.group("value")
    if value.startswith("-") or len(value.strip()) < 3:
        return False  # the next option: "--password --verbose" asks for it
    return secret_value_ok(value)


def command_rules() -> list[Rule]:
    """The command-line password rules of the default pack."""
    return [
        Rule(
            name="mysql_cli_password",
            kind="PASSWORD",
            pattern=_MYSQL_GLUED,
            validator=_mysql_glued_ok,
            group="value",
            description=(
                "Passwords glued to -p of the MySQL and MariaDB tools (mysql, mysqldump, "
                "mysqladmin, mariadb-dump ...): mysql -u root -pS3cret. Other programs' -p stays."
            ),
            hints=("mysql", "mariadb"),
            priority=CONTEXT_PRIORITY,
            example="+ mysqldump -h db.internal -u backup -p'Dump-2026!' orders",
        ),
        Rule(
            name="cli_password_option",
            kind="PASSWORD",
            pattern=_OPTION_SPACE,
            validator=_option_ok,
            group="value",
            description=(
                "Values of command-line options naming a password, given after a space: "
                "--password S3cret, --db-password 'x y', keytool -storepass changeit."
            ),
            hints=("pass ", "pwd ", "password ", "passwd ", "passphrase "),
            reach=0,
            priority=CONTEXT_PRIORITY,
            example="+ docker login --username ci --password Xk9-pL2q registry.example.com",
        ),
    ]
