"""Default rules for credentials found by context: keys, passwords and tokens after a name.

These catch secrets that have no recognisable shape of their own (``password=hunter2``,
``X-Api-Key: 3f9c...``, ``Authorization: Basic dXNlcjpwYXNz``) by the name in front of them.
Values that merely stand in for a secret (``null``, ``****``, ``${DB_PASSWORD}``) stay.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.validators import is_placeholder_value, line_before, looks_random

__all__ = ["secret_rules"]

PEM_PRIORITY = 40
KNOWN_FORMAT_PRIORITY = 30
AUTHORIZATION_PRIORITY = 25
CONTEXT_PRIORITY = 20

#: ``key`` then the separators seen in logs: ``=``, ``: ``, ``"key": "``, ``\\"key\\":\\"``,
#: ``=>`` (Ruby), ``:=`` (Go); ``q`` captures an opening quote so the value may hold spaces.
_ASSIGN = r"""\\?["']?[ \t]*(?:=>|:=|[:=])[ \t]*\\?(?P<q>["'])?"""
#: A quoted value runs to the closing quote (or a backslash, for escaped JSON); a bare one to
#: the first space, quote or list separator.
#: A bare value longer than :data:`_LONG` characters is matched whole in the ``long`` group and
#: redacted without looking at it: read to its end from every ``key=`` inside it and then turned
#: down, a line of ``key=-key=-key=...`` cost time quadratic in its length.
_LONG = 4096
_BARE = r"""[^\s"'`,;&<>\\)\]}]"""
_VALUE = (
    rf"""(?P<value>(?(q)(?:(?!(?P=q))[^\\\n])+"""
    rf"""|(?:{_BARE}{{1,{_LONG}}}+(?!{_BARE})|(?P<long>{_BARE}{{{_LONG + 1},}}+))))"""
)

# The patterns below start at the keyword itself, spelled with explicit case classes: the regex
# engine can then reject most positions of a line with one character test, where a leading
# ``(?i)`` alternation or a look-behind would make it try every alternative at every position.
# The name the keyword ends (``aws_secret_access_key``, ``X-Api-Key``) is read back by the
# validators, which keeps that work to the few lines that match.


def _spelled(word: str) -> str:
    """``token`` as ``[Tt][Oo][Kk][Ee][Nn]``: case-insensitive, yet a cheap first test."""
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else re.escape(c) for c in word)


_IDENTIFIER_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"


def _name_before(match: re.Match[str], keyword: str = "keyword") -> str:
    """The whole identifier that ends with the match's keyword, lower case: ``x-api-key``."""
    before = line_before(match, 48, keyword)
    tail = before[len(before.rstrip(_IDENTIFIER_CHARS)) :]
    return (tail + match.group(keyword)).lower()


def _assigned(*names: str) -> tuple[str, ...]:
    """Hints for ``name`` followed by the start of an assignment: ``token=``, ``token":``...

    Only assignments can match the rules below, and ``prompt_tokens`` or "token expired" in
    prose then never wake them up.
    """
    return tuple(name + tail for name in names for tail in ("=", ":", '"', "'", " =", " :", "\\"))


#: ``api_token       = "..."``: Terraform plans and INI dumps align ``=`` with spaces or a tab.
#: Only ``key`` and ``token`` names (``secret`` is a hint by itself): each hint is a scan.
_ALIGNED = tuple(name + tail for name in ("key", "token") for tail in ("  ", "\t"))


# -- AWS secret access keys -------------------------------------------------------------------

_AWS_SECRET = rf"""(?x)
    (?:
        (?P<keyword>{_spelled("secret")}[_.-]?(?:{_spelled("access")}[_.-]?)?{_spelled("key")})
        (?:\\?["']?[ \t]*(?:=>|:=|[:=])[ \t]*\\?["']?|(?P<space>[ \t]+))   # aws configure set
      | A(?:KIA|SIA)(?<![A-Za-z0-9]....)[A-Z0-9]{{16}}["']?(?:[ \t]*[,:;|/][ \t]*["']?|[ \t]+)
    )
    (?P<value>[A-Za-z0-9/+]{{40}})
    (?![A-Za-z0-9/+=])
"""
_HEX_ONLY = re.compile(r"[0-9a-fA-F]+")


def _aws_secret_ok(match: re.Match[str]) -> bool:
    # After a bare access key ID, or a name followed by a space only ("secret key 9fceb02d..."),
    # a 40-character hex run is a digest, not a secret key.
    if match.group("keyword") is not None and match.group("space") is None:
        return True
    return not _HEX_ONLY.fullmatch(match.group("value"))


# -- PEM private keys -------------------------------------------------------------------------

_PEM_LABEL = r"-----BEGIN[ A-Z0-9]{0,30}PRIVATE[ ]KEY(?:[ ]BLOCK)?-----"
_PEM_END = r"-----END[ A-Z0-9]{0,30}PRIVATE[ ]KEY(?:[ ]BLOCK)?-----"
#: The whole block to its END line, whether broken by real newlines or by ``\n`` escapes; if
#: the END line is missing (a truncated log line), the base64 lines that follow BEGIN.
_PRIVATE_KEY = rf"""(?x)
    {_PEM_LABEL}
    (?:
        [\s\S]{{0,20000}}?{_PEM_END}
      | (?:(?:\\r)?(?:\\n|\r?\n)[ \t]*(?:[A-Za-z0-9+/=]{{16,}}|[A-Za-z-]+:[^\n\\]*))*
    )
"""

# -- generic key/token/secret assignments -----------------------------------------------------

_GENERIC_SECRET = rf"""(?x)
    (?P<keyword>
        (?<=[A-Za-z0-9_.-]){_spelled("key")}     # a bare "key" (S3, cache, partition) is no secret
      | {_spelled("secret")}|{_spelled("signature")}
      | (?<![Nn]ext)(?<![Nn]ext_)(?<![Pp]age)(?<![Pp]age_){_spelled("token")}   # not a cursor
      | {_spelled("auth")}|{_spelled("sig")}
    )
    {_ASSIGN}
    {_VALUE}
"""

#: Words that make a name ending in ``key`` a credential's; a bare ``key`` (S3, cache,
#: partition) is not one.
_KEY_KINDS = (
    "api", "access", "secret", "private", "account", "master", "signing", "encryption", "client",
    "app", "consumer", "subscription", "license", "service", "storage", "ingest", "admin", "auth",
    "webhook", "hmac", "jwt", "session", "cookie", "crypto", "aes", "encrypt", "cipher",
    "fernet", "shared", "preshared", "unseal", "totp", "otp",
)  # fmt: skip
_SECRET_KEY_NAME = re.compile(rf"(?:^|[_.-])(?:{'|'.join(_KEY_KINDS)})[_.-]?key$")
#: Names ending like a secret's that hold something else: paging cursors, counts, types.
_NOT_SECRET_NAME = re.compile(
    r"""(?x)
    (?:next|prev(?:ious)?|page|paging|pagination|continuation|cursor|sync|forward|backward
      |sequence|marker|resume|start|cancel(?:lation)?|max|num|total|csrf[_.-]?header)
    [_.-]?token$
    """
)

#: ``SECRET_KEY_BASE=``, ``CLIENT_SECRET_B64=``, ``api_key_hex:``: a secret's name with the
#: encoding (or Rails' ``_base``) after it; the name before the suffix decides, as above.
_SUFFIXES = ("base64", "base", "b64", "hex", "pem", "value")
_SUFFIXED_SECRET = rf"""(?x)
    (?P<keyword>
        (?<=[A-Za-z0-9_.-]){_spelled("key")}
      | {_spelled("secret")}|{_spelled("signature")}|{_spelled("token")}
    )
    _(?:{"|".join(_spelled(suffix) for suffix in _SUFFIXES)})
    {_ASSIGN}
    {_VALUE}
"""


def _suffixed_secret_ok(match: re.Match[str]) -> bool:
    # token_hex = secrets.token_hex(32): code that makes a secret, not one (unquoted, the
    # generic check refuses it too)
    return "(" not in match.group("value") and _generic_secret_ok(match)


# Plain words that follow a secret's name in messages rather than as its value.
# fmt: off
STOP_WORDS = frozenset([
    "must", "is", "are", "was", "be", "too", "not", "no", "invalid", "required", "missing",
    "present", "absent", "valid", "expired", "revoked", "changed", "updated", "reset", "rotated",
    "set", "unset", "mismatch", "incorrect", "wrong", "ok", "error", "failed", "enabled",
    "disabled", "optional", "provided", "supplied", "accepted", "rejected", "ignored",
])
# fmt: on


def _secret_value_ok(value: str) -> bool:
    return (
        value.lower() not in STOP_WORDS
        and not is_placeholder_value(value)
        and not value.startswith(("{", "["))
    )


#: An ARN up to its resource type: ``arn:aws:secretsmanager:eu-west-1:123456789012:`` before
#: ``secret:name-AbCdEf`` names a secret, it does not hold one.
_ARN_BEFORE = re.compile(r"arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:[0-9]{0,12}:[A-Za-z0-9_-]*$")


def _generic_secret_ok(match: re.Match[str]) -> bool:
    if match.group("long") is not None:
        return True  # fail closed on what is too long to judge (see _LONG)
    if _ARN_BEFORE.search(line_before(match, 120, "value")[:-1]):
        return False
    name = _name_before(match)
    if name.endswith("key") and not _SECRET_KEY_NAME.search(name):
        return False
    # ``sig`` and ``auth`` only as a whole name or its last part: not ``config``, ``oauth``.
    short = match.group("keyword").lower()
    if short in {"sig", "auth"} and name != short and name[-len(short) - 1] not in "_.-":
        return False
    if _NOT_SECRET_NAME.search(name):
        return False
    value = match.group("value")
    # "auth: passwd-file(bob,...)" (Dovecot), "auth: pam_unix(sshd:auth)": a bare value with a
    # parenthesis names a module or a function; generated keys and tokens never hold one.
    if match.group("q") is None and "(" in value:
        return False
    return _secret_value_ok(value) and looks_random(value, min_length=6)


# -- passwords --------------------------------------------------------------------------------

_PASSWORD = rf"""(?x)
    (?P<keyword>
        {_spelled("pass")}(?:{_spelled("word")}|{_spelled("wd")}|{_spelled("phrase")})?
      | {_spelled("pwd")}
    )
    (?:{_ASSIGN}|(?P<xml>>))
    {_VALUE}
"""


def _password_ok(match: re.Match[str]) -> bool:
    if match.group("long") is not None:
        return True  # fail closed on what is too long to judge (see _LONG)
    name = _name_before(match)
    keyword = match.group("keyword").lower()
    # ``pass`` and ``pwd`` alone must be the whole name or its last part: not ``bypass``.
    if keyword in {"pass", "pwd"} and name != keyword and name[-len(keyword) - 1] not in "_.-":
        return False
    if match.group("xml") is not None and not line_before(match, 50, "keyword").rstrip(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:.-"
    ).endswith("<"):
        return False
    value = match.group("value")
    if len(value.strip()) < 3 or not _secret_value_ok(value):
        return False
    # pwd: passwordPrompt() asks for it: a function call, not a value.
    if value.endswith("(") and value[:-1].replace("_", "").replace(".", "").isalnum():
        return False
    # MySQL's "Access denied for user 'app'@'host' (using password: YES)" says no more than that.
    if value in {"YES", "NO"} and line_before(match, 8, "keyword").endswith("using "):
        return False
    # $PWD and $OLDPWD are the working directory, not a password.
    return not (keyword == "pwd" and value.startswith(("/", "~")))


#: ``scheme://user:PASSWORD@host``, and Oracle logins ``user/PASSWORD@service`` (sqlplus,
#: CONNECT, jdbc:oracle:thin:...). Both start at a ``/``, a literal the regex engine skips to,
#: so one scan of each line with an ``@`` finds both.
_URL_PASSWORD = r"""(?x)
    /(?:(?P<url>(?<=:/)/[^\s:/@?#"'<>]*:)|(?<=[A-Za-z0-9_$\#.]/))
    (?(url)|(?P<q>")?)
    (?P<value>(?(url)[^\s@/?#"'<>]+|(?(q)[^"\n]+|[^\s/@"'\\:]+)))
    (?(q)")
    @(?(url)|(?!sha[0-9]+:))      # not /repo@sha256:..., an image
"""

_VERSIONISH = re.compile(r"[0-9.]+")
#: ``connect http/1.1@proxy``: protocols, not accounts.
_PROTOCOLS = frozenset({"http", "https", "tcp", "udp", "tls", "ssl", "h2", "quic", "ws", "wss"})
_ACCOUNT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$#."
#: What precedes ``user/`` when Oracle tools take a login: ``sqlplus -s``, ``CONNECT``,
#: ``userid=``, ``jdbc:oracle:thin:``, ``rman target``...
_ORACLE_LOGIN_BEFORE = re.compile(
    r"""(?ix)
    (?:
        (?:^|[\s"'(])(?:sqlplus|connect|conn|sqlldr|dgmgrl|(?:exp|imp)(?:dp)?
          |rman\s+(?:target|catalog|auxiliary)[ \t]*=?)
        (?:\s+-[a-z]+)*\s+(?:userid\s*=\s*)?["']?
      | (?:^|[\s"'(])userid\s*=\s*["']?
      | jdbc:oracle:(?:thin|oci8?):
    )$
    """
)


def _oracle_login_ok(match: re.Match[str]) -> bool:
    before = line_before(match, 160)
    account = before[len(before.rstrip(_ACCOUNT_CHARS)) :]
    if not account[:1].isalpha():
        return False
    if account.lower() in _PROTOCOLS or _VERSIONISH.fullmatch(match.group("value")):
        return False
    tool = before[max(0, len(before) - len(account) - 48) : len(before) - len(account)]
    return _ORACLE_LOGIN_BEFORE.search(tool) is not None


def _url_password_ok(match: re.Match[str]) -> bool:
    if match.group("url") is None and not _oracle_login_ok(match):
        return False
    return not is_placeholder_value(match.group("value"))


# -- Authorization headers --------------------------------------------------------------------


def _not_after_authorization(length: int) -> str:
    """Look-behinds, placed after a scheme word ``length`` long, refusing one right after
    ``Authorization:`` (or ``"Authorization": "``): the first branch takes those, and the
    second would only repeat its work on every such line."""
    return "".join(
        f"(?<!{re.escape(before)}.{{{length}}})" for before in ("ion: ", "ion:", 'on": "', 'on":"')
    )


_AUTHORIZATION = rf"""(?x)
    (?:
        {_spelled("authorization")}\\?["']?[ \t]*[:=][ \t]*\\?["']?
        (?:(?i:bearer|basic|token|bot|apikey|sso-key|negotiate|ntlm)[ \t]+
          |(?i:sharedkey(?:lite)?)[ \t]+[A-Za-z0-9-]+:)?   # Azure Storage: account:signature
      | (?:{_spelled("bearer")}(?<![A-Za-z0-9_-].{{6}}){_not_after_authorization(6)}
          |{_spelled("basic")}(?<![A-Za-z0-9_-].{{5}}){_not_after_authorization(5)})
        [ \t]+
    )
    (?P<value>[A-Za-z0-9._~+/=-]{{8,}})
"""


def _authorization_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    # SigV4 names its algorithm here; the credential and signature follow as name=value.
    if value.upper().startswith("AWS4-HMAC"):
        return False
    # A scheme without its header name (HAProxy's captured headers, a custom header, a JSON
    # field) is followed by a credential, but ``token_type=Bearer expires_in=3600`` by the
    # next pair: base64 and tokens hold ``=`` only as padding.
    if match.group().lower().startswith(("bearer", "basic")) and "=" in value.rstrip("="):
        return False
    return looks_random(value)


def secret_rules() -> list[Rule]:
    """The context-based credential rules of the default pack."""
    return [
        Rule(
            name="private_key",
            kind="PRIVATE_KEY",
            pattern=_PRIVATE_KEY,
            description=(
                "PEM private keys (RSA, EC, OpenSSH, PGP...): the whole block, across real "
                "lines or \\n-escaped in one line."
            ),
            hints=("private key",),
            priority=PEM_PRIORITY,
            multiline=True,
            example=(
                '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC'
                '\\n-----END PRIVATE KEY-----\\n"}'
            ),
            reach=40,
        ),
        Rule(
            name="aws_secret_access_key",
            kind="AWS_SECRET_KEY",
            pattern=_AWS_SECRET,
            validator=_aws_secret_ok,
            group="value",
            description=(
                "AWS secret access keys after their name (aws_secret_access_key=, "
                '"SecretAccessKey": , X-Aws-Secret-Key:) or right after an access key ID.'
            ),
            hints=("secret", "akia"),
            priority=KNOWN_FORMAT_PRIORITY,
            example="aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            reach=0,
        ),
        Rule(
            name="authorization",
            kind="TOKEN",
            pattern=_AUTHORIZATION,
            validator=_authorization_ok,
            group="value",
            description=(
                "Credentials in Authorization headers and after Bearer/Basic under any name "
                "(Authorization: Bearer ..., X-Auth: Basic dXNlcjpwYXNz, HAProxy {Basic ...})."
            ),
            hints=("authorization", "basic ", "bearer "),
            priority=AUTHORIZATION_PRIORITY,
            example="GET /api/orders Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l",
            reach=0,
        ),
        Rule(
            name="url_password",
            kind="PASSWORD",
            pattern=_URL_PASSWORD,
            validator=_url_password_ok,
            group="value",
            description=(
                "Passwords in URLs: scheme://user:PASSWORD@host, and in Oracle logins: sqlplus, "
                "CONNECT, exp/imp(dp), rman, sqlldr userid=, jdbc:oracle:thin:user/PASSWORD@host "
                "(the user name stays)."
            ),
            hints=("@",),
            priority=CONTEXT_PRIORITY + 1,
            example="connecting to postgres://app:S3cr3t-pw@db.internal:5432/orders",
            reach=200,
        ),
        Rule(
            name="password",
            kind="PASSWORD",
            pattern=_PASSWORD,
            validator=_password_ok,
            group="value",
            description=(
                'Values of password=, "password": "...", db_pass:, Pwd=...; (connection '
                "strings) and <password> elements. Masked or templated values stay."
            ),
            hints=("pass", "pwd"),
            priority=CONTEXT_PRIORITY,
            example='{"user": "svc-orders", "password": "correct horse battery"}',
            reach=0,
        ),
        Rule(
            name="secret_assignment",
            kind="SECRET",
            pattern=_GENERIC_SECRET,
            validator=_generic_secret_ok,
            group="value",
            description=(
                "Values of api_key=, X-Api-Key:, client_secret, access_token=, *_token:, "
                "signature= ... that look generated (not next_token, max_tokens, a plain key)."
            ),
            hints=("secret", *_assigned("key", "token", "signature", "auth", "sig"), *_ALIGNED),
            priority=CONTEXT_PRIORITY,
            example="POST /v1/charge X-Api-Key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            reach=0,
        ),
        Rule(
            name="suffixed_secret",
            kind="SECRET",
            pattern=_SUFFIXED_SECRET,
            validator=_suffixed_secret_ok,
            group="value",
            description=(
                "Secrets whose name ends in an encoding: SECRET_KEY_BASE=, CLIENT_SECRET_B64=, "
                "api_key_hex: (not next_token_b64, a plain key_value)."
            ),
            # the name and its suffix: "key_b64" holds the rare "k" the prefilter stops at
            hints=tuple(
                f"{name}_{suffix}"
                for name in ("key", "token", "secret", "signature")
                for suffix in _SUFFIXES
            ),
            priority=CONTEXT_PRIORITY,
            example="SECRET_KEY_BASE=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            reach=0,
        ),
    ]


# The pieces other rule modules build on (the encoded forms of these assignments).
spelled = _spelled
name_before = _name_before
secret_value_ok = _secret_value_ok
SECRET_KEY_NAME = _SECRET_KEY_NAME
NOT_SECRET_NAME = _NOT_SECRET_NAME
