"""Passwords given on command lines, as shell histories, CI logs and process listings show them.

``mysql -u root -pS3cret`` (the MySQL family takes the password glued to ``-p``), and long
options followed by a space: ``--password S3cret``, ``--db-password 'x y'``, keytool's
``-storepass changeit``. ``--password=S3cret`` is the plain ``password`` rule's work. A bare
``-p`` of other programs means anything (a port, ``mkdir -p``), so it stays.

Windows process-creation events (4688, Sysmon 1) and PowerShell logs show Windows' own forms:
``net use \\srv\\share /user:CORP\\jdoe S3cret``, ``net user svc S3cret /add``, ``cmdkey
/pass:S3cret`` and ``ConvertTo-SecureString "S3cret" -AsPlainText``.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY, name_before, secret_value_ok, spelled
from logai.sanitize.validators import is_placeholder_value, line_after, line_before, looks_random

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

#: ``net user NAME PASSWORD``, ``/user:NAME PASSWORD`` (of ``net use``) and ``/pass:PASSWORD``.
_WINDOWS_PASSWORD = rf"""(?x)
    (?:
        (?P<net_user>(?<![A-Za-z0-9_-]){spelled("net")}1?(?:\.{spelled("exe")})?"?
          [ \t]+{spelled("user")}[ \t]+(?:"[^"\n]+"|[^\s/"]+)[ \t]+)
      | (?P<slash_user>/{spelled("user")}:(?:"[^"\n]+"|[^\s"]+)[ \t]+)
      | /{spelled("pass")}(?:{spelled("word")})?:
    )
    (?P<q>")?(?P<value>(?(q)[^"\n]+|[^\s"/*][^\s"]*))
"""
#: ``net use`` (or ``net.exe``, ``net1``) before ``/user:``: ``runas /user:x "cmd"`` names a
#: program after the account, not a password.
_NET_USE = re.compile(r"(?i)(?<![a-z0-9_-])net1?(?:\.exe)?\"?\s+use\s")

_POWERSHELL_SECURE_STRING = rf"""(?x)
    {spelled("convertto-securestring")}
    (?:[ \t]+-(?:[Aa][Ss][Pp][Ll][Aa][Ii][Nn][Tt][Ee][Xx][Tt]|[Ff][Oo][Rr][Cc][Ee]))*
    [ \t]+(?:-{spelled("string")}[ \t]+)?
    (?P<q>["'])(?P<value>(?:(?!(?P=q))[^\n])+)(?P=q)
"""


#: Short options that are a password only for the program in front of them (``-p`` is a port
#: to ssh, ``-a`` an option of many tools): the program word, its other arguments, the option.
_BEFORE = r"(?<![A-Za-z0-9_.-])"
#: The program's other arguments before the option: within 400 characters, so that a line
#: repeating the program's name is not read to its end from each one (quadratic).
_ARGS = r"\b[^\n|;&]{0,400}?[ \t]"
_PROGRAM_OPTION = rf"""(?x)
    (?:
        {_BEFORE}sshpass(?:[ \t]+-[A-Za-z]\S*)*?[ \t]+-p[ \t]*
      | {_BEFORE}redis-cli{_ARGS}-a[ \t]+
      | {_BEFORE}ldap(?:search|modify|add|delete|whoami|passwd|compare|modrdn|exop){_ARGS}-w[ \t]+
      | {_BEFORE}zip{_ARGS}-P[ \t]+
      | {_BEFORE}7z[az]?(?:\.exe)?{_ARGS}-p(?=\S)
      | {_BEFORE}az[ \t]+login{_ARGS}-p[ \t]+
      | {_BEFORE}openssl{_ARGS}-k[ \t]+
      | {_BEFORE}curl{_ARGS}(?:-u|--user|-U|--proxy-user)[ \t=]+["']?[^\s:"'@]+:
    )
    {_QUOTED_OR_BARE}
"""


#: ``aws configure set aws_session_token VALUE`` (also ``profile.ci.aws_session_token``): the
#: CLI takes the value after a space, where no assignment rule looks. The secret access key is
#: the ``aws_secret_access_key`` rule's.
_AWS_CONFIGURE_SET = r"""(?x)
    aws[ \t]+configure[ \t]+set[ \t]+(?:[A-Za-z0-9_.-]*\.)?
    (?:aws_session_token|aws_security_token)[ \t]+
    (?P<value>[A-Za-z0-9/+=]{16,})
"""


def _program_option_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    return not value.startswith("-") and len(value.strip()) >= 3 and secret_value_ok(value)


def _windows_password_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    if not secret_value_ok(value) or len(value.strip()) < 3:
        return False
    if match.group("slash_user") is not None and not _NET_USE.search(line_before(match, 300)):
        return False
    # "net user count grew": a password is quoted or looks generated, not a plain word
    return match.group("q") is not None or looks_random(value, min_length=4)


def _secure_string_ok(match: re.Match[str]) -> bool:
    # without -AsPlainText the argument is already an encrypted standard string
    context = (line_before(match, 120) + line_after(match, 120)).lower()
    return "-asplaintext" in context and secret_value_ok(match.group("value"))


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


#: Options whose name glues a word to "pass" (keytool, jarsigner).
_GLUED = frozenset(
    {"storepass", "keypass", "srcstorepass", "deststorepass", "srckeypass", "destkeypass"}
)


def _option_ok(match: re.Match[str]) -> bool:
    name = name_before(match)  # "--db-password", "-storepass", or "password" in prose
    if not name.startswith("-") or name.startswith("-" * 3):
        return False
    option = name.lstrip("-")
    keyword = match.group("keyword").lower()
    if option != keyword and option[-len(keyword) - 1] not in "-_." and option not in _GLUED:
        return False  # 7z's -pSecretPass: a glued value ending like a name, not an option
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
        Rule(
            name="program_password_option",
            kind="PASSWORD",
            pattern=_PROGRAM_OPTION,
            validator=_program_option_ok,
            group="value",
            description=(
                "Passwords in the short options of the programs that take them: curl -u "
                "user:PW, sshpass -p, redis-cli -a, ldapsearch -w, zip -P, 7z -pPW, az login -p, "
                "openssl -k; other programs' -p, -a and -u stay."
            ),
            hints=(
                "sshpass",
                "redis-cli",
                "ldap",
                "zip ",
                "az login",
                "openssl",
                "curl ",
                "0z a ",
                "0z x ",
                "0z e ",
                "0z u ",
                "0za ",
                "0zr ",
                "0z exe",
            ),
            reach=0,
            priority=CONTEXT_PRIORITY,
            example="+ curl -fsS -u deploy:S3cretPw https://ci.example.com/api/jobs",
        ),
        Rule(
            name="aws_configure_secret",
            kind="SECRET",
            pattern=_AWS_CONFIGURE_SET,
            group="value",
            description=(
                "AWS session tokens set on the command line: aws configure set "
                "aws_session_token VALUE; a variable stays."
            ),
            hints=("aws configure set",),
            reach=0,
            priority=CONTEXT_PRIORITY,
            example=(
                "+ aws configure set aws_session_token IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3Q "
                "--profile ci"
            ),
        ),
        Rule(
            name="windows_cli_password",
            kind="PASSWORD",
            pattern=_WINDOWS_PASSWORD,
            validator=_windows_password_ok,
            group="value",
            description=(
                "Passwords in Windows commands: net use \\\\srv\\share /user:CORP\\jdoe "
                "S3cret, net user svc S3cret /add, cmdkey /pass:S3cret; a * prompt stays."
            ),
            # "exe user": net.exe and net1.exe, whose match starts at "net1." before the hint
            hints=(
                "net user ",
                "net0 user ",
                "exe user ",
                'exe" user ',
                "/user:",
                "/pass:",
                "/password:",
            ),
            reach=len("net1."),
            reach_chars="NnEeTt1.",
            priority=CONTEXT_PRIORITY,
            example=(
                "Process Command Line: net use \\\\fs01\\share /user:CORP\\jdoe P@ssw0rd1 "
                "/persistent:no"
            ),
        ),
        Rule(
            name="powershell_plaintext_password",
            kind="PASSWORD",
            pattern=_POWERSHELL_SECURE_STRING,
            validator=_secure_string_ok,
            group="value",
            description=(
                'PowerShell plaintext passwords: ConvertTo-SecureString "S3cret" -AsPlainText; '
                "a variable ($env:PW) stays."
            ),
            hints=("convertto-securestring",),
            reach=0,
            priority=CONTEXT_PRIORITY,
            example='$cred = ConvertTo-SecureString "Pl@inText99" -AsPlainText -Force',
        ),
    ]
