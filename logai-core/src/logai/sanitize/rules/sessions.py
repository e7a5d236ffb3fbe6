"""Default rules for session cookies: whoever has one is logged in as its user.

Session IDs travel in ``Cookie:`` and ``Set-Cookie:`` headers, which HTTP debug logs, access
logs with a cookie field and HAR dumps record, and in Java's ``;jsessionid=`` URL rewriting.
Only the value of a cookie whose name says it holds a session is redacted: ``lang=en`` and
``_ga=GA1.2...`` stay, and so do deletions (``JSESSIONID=deleted``, ``=; Max-Age=0``).
Every hint holds a rare letter (``k`` of ``cookie``, ``j`` of ``jsessionid``, ``h`` of
``phpsessid``), so the rules cost a clean line nothing.
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.secrets import CONTEXT_PRIORITY
from logai.sanitize.validators import is_placeholder_value

__all__ = ["SESSION_COOKIE_NAME", "session_rules"]

#: Names of cookies that hold a session (case-insensitive): servlet containers, PHP, Express,
#: Django, Rails and Laravel (``<app>_session``), ASP.NET, Flask, Play, Keycloak, Drupal
#: (``SESS`` + hash), CodeIgniter, WordPress' login cookie, and ``__Host-``/``__Secure-``
#: session names.
SESSION_COOKIE_NAME = r"""(?ix:
    jsessionid | phpsessid | cfid | cftoken | aspsessionid[a-z]{8}
  | connect\.sid | express[.:]sid | express:sess | koa[.:]sess | sails\.sid
  | sessionid | session_id | session-id | sessid | sid | session | _session_id
  | asp\.net_sessionid | \.aspnetcore\.session | \.aspnet\.applicationcookie
  | \.aspnetcore\.cookies | \.aspnetcore\.identity\.application
  | play_session | keycloak_session | keycloak_identity | auth_session_id
  | s?sess[0-9a-f]{32}
  | _?[a-z0-9][a-z0-9_.-]{0,40}_session
  | wordpress_logged_in_[0-9a-f]{32} | wordpress_sec_[0-9a-f]{32}
  | (?:__host-|__secure-)[a-z0-9_.-]*sess[a-z0-9_.-]*
)"""

#: A cookie value: up to ``;``, ``,`` (Set-Cookie headers folded), a quote, a space, or the
#: query after a ``;jsessionid=`` path parameter.
_VALUE = r"""(?P<value>"[^"\s;]+"|[^\s;,"'\\?&]+)"""

#: ``name=value`` pairs anywhere after a cookie header, field or jsessionid hint; the
#: validator checks the header context for names other than JSESSIONID/PHPSESSID.
_PAIR = rf"""(?x)
    (?<![A-Za-z0-9_.:-])(?P<name>{SESSION_COOKIE_NAME})[ \t]*=[ \t]*{_VALUE}
"""

#: HAR dumps: ``{"name": "connect.sid", "value": "s%3A..."}`` in a ``cookies`` array.
_HAR = rf"""(?x)
    "name"[ \t]*:[ \t]*"(?P<name>{SESSION_COOKIE_NAME})"[ \t]*,[ \t]*
    "value"[ \t]*:[ \t]*"(?P<value>[^"\\]+)"
"""

_COOKIE_CONTEXT = re.compile(r"(?i)cookie|jsessionid|phpsessid")
#: Values that end a session rather than carry one.
_NOT_A_SESSION = frozenset({"deleted", "expired", "invalid", "logout", "null", "none", "0", "1"})


def _session_value_ok(value: str) -> bool:
    value = value.strip('"')
    return (
        len(value) >= 8
        and value.lower() not in _NOT_A_SESSION
        and not is_placeholder_value(value)
        and not value.startswith(("${", "<"))
    )


def _pair_ok(match: re.Match[str]) -> bool:
    text = match.string
    line_start = text.rfind("\n", 0, match.start()) + 1
    if not _COOKIE_CONTEXT.search(text, line_start, match.start("value")):
        return False
    return _session_value_ok(match.group("value"))


def _har_ok(match: re.Match[str]) -> bool:
    return _session_value_ok(match.group("value"))


#: A line of a Netscape ``cookies.txt`` jar (curl, wget, yt-dlp, browser exports): domain,
#: include-subdomains flag, path, secure flag, expiry, name, value; ``#HttpOnly_`` may prefix
#: the domain. Redacted: the value of a cookie whose name speaks of a session (sess, sid).
_COOKIE_JAR = r"""(?mx)
    ^(?:\#HttpOnly_)?[A-Za-z0-9.-]+\t(?:TRUE|FALSE)\t[^\t\n]*\t(?:TRUE|FALSE)\t-?[0-9]+\t
    (?P<name>[^\t\n]*(?i:sess|sid)[^\t\n]*)\t
    (?P<value>[^\t\n]+)
"""


def _jar_ok(match: re.Match[str]) -> bool:
    return not is_placeholder_value(match.group("value"))


def session_rules() -> list[Rule]:
    """The session-cookie rules of the default pack."""
    return [
        Rule(
            name="session_cookie",
            kind="SESSION",
            pattern=_PAIR,
            validator=_pair_ok,
            group="value",
            description=(
                "Session cookie values in Cookie:/Set-Cookie: headers, access-log cookie fields "
                "and ;jsessionid= URLs: JSESSIONID, PHPSESSID, connect.sid, sessionid, "
                "<app>_session (Rails, Laravel), ASP.NET_SessionId, PLAY_SESSION, SESS<hash>..."
            ),
            # the match starts at the cookie's name, anywhere after the header's hint
            hints=("cookie", "jsessionid", "phpsessid"),
            reach=12,
            priority=CONTEXT_PRIORITY,
            example=("> Cookie: lang=en; JSESSIONID=8F3A2B1C9D0E4F5A6B7C8D9E0F1A2B3C; theme=dark"),
        ),
        Rule(
            name="har_session_cookie",
            kind="SESSION",
            pattern=_HAR,
            validator=_har_ok,
            group="value",
            description='Session cookies in HAR dumps: {"name": "connect.sid", "value": "..."}.',
            hints=("cookies",),
            reach=None,
            priority=CONTEXT_PRIORITY,
            example=(
                '"cookies": [{"name": "connect.sid", "value": "s%3AkX9vB2nC4mZ8pW1rT5yS3uO6iA0eH'
                '.Zx8Yq2Lm"}]'
            ),
        ),
        Rule(
            name="cookie_jar_session",
            kind="SESSION",
            pattern=_COOKIE_JAR,
            validator=_jar_ok,
            group="value",
            description=(
                "Session cookie values (names with sess or sid) in Netscape cookies.txt jars "
                "(curl -c, wget --save-cookies, browser exports), #HttpOnly_ lines too."
            ),
            # "sess" and "sid" ride the scan for "s"
            hints=("sess", "sid"),
            reach=None,
            priority=CONTEXT_PRIORITY,
            example="#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1767225600\tsessionid\tq8w7e6r5t4y3u2i1o0p9",
        ),
    ]
