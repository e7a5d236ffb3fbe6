"""``logai mcp --transport http``: streamable HTTP at ``/mcp``, guarded.

- Binds loopback by default. Any other address is refused unless ``LOGAI_MCP_TOKEN`` is set.
- With a token set, every request must carry ``Authorization: Bearer <token>`` (loopback too).
- ``Origin`` is checked on every request (DNS rebinding, as the MCP specification asks of
  local servers): a browser page may only reach the server from a loopback origin, or from an
  origin listed in ``LOGAI_MCP_ALLOWED_ORIGINS``. On a loopback bind the ``Host`` header must
  name loopback too.
- No CORS headers at all: a cross-origin browser page gets nothing it can read.

Each MCP session (``Mcp-Session-Id``) has its own sanitizer, hence its own placeholders.
Clients of the stateless 2026-07-28 revision send no session id: they share one.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from mcp.server import ServerRequestContext
    from starlette.types import ASGIApp, Receive, Scope, Send

    from logai.config import LogAISettings
    from logai_mcp.service import LogToolsService

TOKEN_VARIABLE = "LOGAI_MCP_TOKEN"
ORIGINS_VARIABLE = "LOGAI_MCP_ALLOWED_ORIGINS"
PATH = "/mcp"
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class HttpRefused(Exception):
    """The HTTP server will not start with this configuration; ``str()`` says how to fix it."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a bind address or a Host header's name) is this machine only."""
    name = host.strip("[]").lower()
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse a non-loopback bind without a token (anyone on the network could read logs)."""
    if token is not None and not token.strip():
        raise HttpRefused(f"{TOKEN_VARIABLE} is set but empty; set it to a long random secret.")
    if not is_loopback(host) and not token:
        raise HttpRefused(
            f"Refusing to serve MCP on {host}: anyone who can reach it could read your logs. "
            f"Set {TOKEN_VARIABLE} to a long random secret (clients then send "
            "'Authorization: Bearer <token>'), or bind to 127.0.0.1."
        )


def _origin_allowed(origin: str, extra: frozenset[str]) -> bool:
    if origin.rstrip("/") in extra:
        return True
    parts = urlsplit(origin)
    return parts.scheme in {"http", "https"} and is_loopback(parts.hostname or "")


class Guard:
    """ASGI middleware in front of the MCP app: Origin, Host and bearer token, in that order."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        loopback_only: bool,
        allowed_origins: frozenset[str] = frozenset(),
    ) -> None:
        self._app = app
        self._token = token.encode() if token else None
        self._loopback_only = loopback_only
        self._origins = allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self._problem(headers)
        if problem is None:
            await self._app(scope, receive, send)
            return
        status, text = problem
        extra: list[tuple[bytes, bytes]] = []
        if status == 401:
            extra.append((b"www-authenticate", b'Bearer realm="logai-mcp"'))
        body = text.encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    *extra,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _problem(self, headers: dict[str, str]) -> tuple[int, str] | None:
        origin = headers.get("origin")
        if origin is not None and not _origin_allowed(origin, self._origins):
            return 403, f"Origin {origin!r} is not allowed (set {ORIGINS_VARIABLE} to allow it)."
        if self._loopback_only:
            name = urlsplit(f"//{headers.get('host', '')}").hostname or ""
            if not is_loopback(name):
                return 421, "Host header does not name this loopback server."
        if self._token is not None:
            scheme, _, given = headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode(), self._token
            ):
                return 401, "Missing or wrong bearer token (Authorization: Bearer <token>)."
        return None


def _session_key(ctx: ServerRequestContext[Any]) -> str | None:
    """The ``Mcp-Session-Id`` of the request (``None``: a client that keeps no session)."""
    headers = getattr(ctx.request, "headers", None)
    if headers is None:
        return None
    value = headers.get("mcp-session-id")
    return str(value) if value else None


def build_app(
    service: LogToolsService,
    *,
    host: str,
    token: str | None,
    allowed_origins: frozenset[str] = frozenset(),
) -> ASGIApp:
    """The guarded streamable-HTTP ASGI app serving ``service``'s tools at ``/mcp``."""
    from mcp.server.transport_security import TransportSecuritySettings

    from logai_mcp.server import build_server

    check_bind(host, token)
    server = build_server(service, session_key=_session_key)
    # The Guard does the Origin/Host checks (for every bind, the SDK's only for loopback).
    app = server.streamable_http_app(
        streamable_http_path=PATH,
        host=host,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    return Guard(app, token=token, loopback_only=is_loopback(host), allowed_origins=allowed_origins)


def configured_token() -> str | None:
    """``LOGAI_MCP_TOKEN`` from the environment (``None`` when unset)."""
    return os.environ.get(TOKEN_VARIABLE)


def configured_origins() -> frozenset[str]:
    """Extra allowed origins from ``LOGAI_MCP_ALLOWED_ORIGINS`` (comma-separated)."""
    raw = os.environ.get(ORIGINS_VARIABLE, "")
    return frozenset(item.strip().rstrip("/") for item in raw.split(",") if item.strip())


def serve_http(settings: LogAISettings, source_name: str | None, host: str, port: int) -> None:
    """Serve until interrupted. Raises :class:`HttpRefused` before binding anything."""
    from logai.cli._common import run_async

    token = configured_token()
    check_bind(host, token)
    run_async(_serve(settings, source_name, host, port, token))


async def _serve(
    settings: LogAISettings, source_name: str | None, host: str, port: int, token: str | None
) -> None:
    import sys

    import uvicorn

    from logai_mcp.service import LogToolsService

    service = LogToolsService(settings, source_name=source_name)
    app = build_app(service, host=host, token=token, allowed_origins=configured_origins())
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    shown = f"[{host}]" if ":" in host else host
    auth = "bearer token required" if token else "no token: loopback only"
    sys.stderr.write(f"logai mcp: starting on http://{shown}:{port}{PATH} ({auth})\n")
    try:
        await uvicorn.Server(config).serve()
    finally:
        await service.aclose()
