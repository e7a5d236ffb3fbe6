"""A scriptable fake LLM server on 127.0.0.1 that speaks OpenAI and Anthropic over real HTTP.

Tests drive LogAI through the *real* LiteLLM client against this server, so what is tested is
what runs in production: LiteLLM's request translation, its SSE parsing and its error mapping.
One server answers both protocols at once:

* ``POST /v1/chat/completions`` - OpenAI chat completions, JSON or SSE (``stream: true``);
* ``POST /v1/messages`` - Anthropic messages, JSON or SSE with the real event sequence;
* ``GET /v1/models`` and ``GET /v1/models/{id}`` - the model list (and one model) in the
  protocol the request's headers speak (Anthropic's carry ``anthropic-version``), from
  :attr:`FakeLLMServer.models`; these free calls are what ``config check --live`` asks;
* anything else - ``404``.

What the server answers is decided by a *responder*: by default a queue of scripted
:class:`Turn` objects (:meth:`FakeLLMServer.script`), or a callable that receives the parsed
:class:`LLMRequest` and returns a :class:`Turn` (:meth:`FakeLLMServer.respond_with`), so a test
can route on the conversation. Faults (:meth:`FakeLLMServer.fail`, :meth:`~FakeLLMServer.delay`,
:meth:`~FakeLLMServer.hang`, :meth:`~FakeLLMServer.disconnect`) are queued separately and are
consumed, one per request, before the responder is asked. Every request is recorded
(:attr:`FakeLLMServer.requests`) so a test can assert what left the process.

The server runs in a background thread (stdlib :class:`~http.server.ThreadingHTTPServer`, one
thread per connection), so sync and async tests can share it, and it starts in milliseconds.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import select
import socket
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Protocol = Literal["openai", "anthropic"]
JSON = dict[str, Any]

#: Longest a hung request is held open; a safety net so a broken test cannot hang the suite.
MAX_HANG_SECONDS = 30.0

OPENAI_PATH = "/v1/chat/completions"
ANTHROPIC_PATH = "/v1/messages"
MODELS_PATH = "/v1/models"
#: What the model list offers unless a test says otherwise.
DEFAULT_MODELS = ("fake-model", "fake-model-large")


# --------------------------------------------------------------------------------------------
# What a test scripts
# --------------------------------------------------------------------------------------------


@dataclass
class ToolCall:
    """One tool call the fake model makes.

    ``arguments`` is a dict (serialised to JSON) or a raw string sent verbatim, which is how a
    test produces malformed arguments. ``id`` is generated when omitted.
    """

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)
    id: str | None = None

    @property
    def arguments_text(self) -> str:
        """The arguments exactly as they go on the wire."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments)


@dataclass
class Turn:
    """One assistant answer: some text, then zero or more tool calls.

    Streamed text is cut into pieces of ``chunk_size`` characters and tool arguments into
    ``argument_pieces`` fragments, so clients must reassemble both. ``chunk_delay`` sleeps
    between SSE events (cancellation tests). ``interrupt_after`` breaks a *streamed* answer
    after that many content events: ``interrupt="hang"`` stops sending (a stalled stream),
    ``"disconnect"`` closes the connection without ending the stream.
    """

    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    input_tokens: int = 12
    output_tokens: int | None = None
    chunk_size: int = 4
    argument_pieces: int = 3
    chunk_delay: float = 0.0
    interrupt_after: int | None = None
    interrupt: Literal["hang", "disconnect"] = "hang"

    @property
    def completion_tokens(self) -> int:
        """Reported output tokens: explicit, or a rough four-characters-per-token estimate."""
        if self.output_tokens is not None:
            return self.output_tokens
        size = len(self.text) + sum(len(c.arguments_text) for c in self.tool_calls)
        return max(1, size // 4)


FaultKind = Literal["error", "delay", "hang", "disconnect"]


@dataclass
class Fault:
    """A misbehaviour served instead of (or, for ``delay``, before) the next normal answer.

    ``error`` answers ``status`` with the protocol's error body (and ``Retry-After`` when
    ``retry_after`` is set); ``delay`` sleeps ``seconds`` and then answers normally; ``hang``
    accepts the request and never answers (until the client gives up or the server stops);
    ``disconnect`` closes the connection without any answer.
    """

    kind: FaultKind
    status: int = 500
    retry_after: float | None = None
    message: str | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class ToolResult:
    """A tool result found in a request, in either protocol."""

    tool_call_id: str
    content: str


@dataclass(frozen=True)
class ToolCallSeen:
    """A tool call found in a request's history: ``arguments`` as that protocol carries them."""

    id: str
    name: str
    arguments: Any


@dataclass(frozen=True)
class LLMRequest:
    """A parsed chat request, with helpers that read the same in both protocols."""

    protocol: Protocol
    model: str
    messages: list[JSON]
    tools: list[JSON]
    stream: bool
    body: JSON

    @property
    def system(self) -> str:
        """The system prompt (OpenAI system messages or Anthropic's ``system`` field)."""
        if self.protocol == "anthropic":
            return _flatten_text(self.body.get("system", ""))
        return "\n".join(
            _flatten_text(m.get("content")) for m in self.messages if m.get("role") == "system"
        )

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools offered to the model."""
        names = []
        for tool in self.tools:
            spec = tool.get("function", tool) if self.protocol == "openai" else tool
            names.append(str(spec.get("name", "")))
        return names

    @property
    def tool_results(self) -> list[ToolResult]:
        """Every tool result in the conversation, oldest first."""
        results = []
        for message in self.messages:
            if self.protocol == "openai" and message.get("role") == "tool":
                results.append(
                    ToolResult(
                        str(message.get("tool_call_id", "")), _flatten_text(message.get("content"))
                    )
                )
            elif self.protocol == "anthropic" and isinstance(message.get("content"), list):
                for block in message["content"]:
                    if isinstance(block, dict) and block.get("type") == "tool_result":
                        results.append(
                            ToolResult(
                                str(block.get("tool_use_id", "")),
                                _flatten_text(block.get("content")),
                            )
                        )
        return results

    @property
    def tool_calls(self) -> list[ToolCallSeen]:
        """Every tool call the assistant made in the conversation sent, oldest first."""
        calls = []
        for message in self.messages:
            if message.get("role") != "assistant":
                continue
            if self.protocol == "openai":
                for call in message.get("tool_calls") or []:
                    function = call.get("function") or {}
                    calls.append(
                        ToolCallSeen(
                            str(call.get("id", "")),
                            str(function.get("name", "")),
                            function.get("arguments"),
                        )
                    )
            elif isinstance(message.get("content"), list):
                for block in message["content"]:
                    if isinstance(block, dict) and block.get("type") == "tool_use":
                        calls.append(
                            ToolCallSeen(
                                str(block.get("id", "")),
                                str(block.get("name", "")),
                                block.get("input"),
                            )
                        )
        return calls

    def malformations(self) -> list[str]:
        """What a strict real server would reject in this conversation (empty: well-formed).

        Each tool call's arguments must be one JSON object (a string that parses to one for
        OpenAI, an object for Anthropic), and each call must be answered by exactly one tool
        result, after it.
        """
        problems = []
        for call in self.tool_calls:
            arguments = call.arguments
            if self.protocol == "openai":
                try:
                    arguments = json.loads(arguments) if isinstance(arguments, str) else None
                except ValueError:
                    arguments = None
            if not isinstance(arguments, dict):
                problems.append(f"call {call.id} ({call.name}): arguments {call.arguments!r}")
        call_ids = [call.id for call in self.tool_calls]
        result_ids = [result.tool_call_id for result in self.tool_results]
        if sorted(call_ids) != sorted(result_ids):
            problems.append(f"calls {call_ids} answered by results {result_ids}")
        return problems

    @property
    def last_user_text(self) -> str:
        """Text of the most recent user message that carries text (not only tool results)."""
        for message in reversed(self.messages):
            if message.get("role") == "user":
                text = _flatten_text(message.get("content"))
                if text:
                    return text
        return ""

    @property
    def all_text(self) -> str:
        """Every piece of text in the request body, for ``in`` checks."""
        return json.dumps(self.body, ensure_ascii=False)


def _flatten_text(content: Any) -> str:
    """Text of an OpenAI/Anthropic content value: a string or a list of typed blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
            elif isinstance(block, dict) and block.get("type") == "tool_result":
                continue
        return "".join(parts)
    return str(content)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived: everything a test may want to assert on."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any
    received_at: float

    @property
    def protocol(self) -> Protocol | None:
        """Which protocol the path belongs to, if any."""
        if self.path == OPENAI_PATH:
            return "openai"
        if self.path == ANTHROPIC_PATH:
            return "anthropic"
        return None

    def contains(self, value: str, *, include_headers: bool = False) -> bool:
        """Whether ``value`` occurs in the body, raw or JSON-decoded (escapes undone)."""
        if value.encode() in self.body:
            return True
        if self.json is not None and value in json.dumps(self.json, ensure_ascii=False):
            return True
        return include_headers and any(value in v for v in self.headers.values())


Responder = Callable[[LLMRequest], "Turn | Fault"]


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeLLMServer:
    """The fake server. Use as a context manager, or :meth:`start` / :meth:`stop`.

    ``api_key``, when set, makes the server answer 401 to any request that does not carry it
    (``Authorization: Bearer`` for OpenAI, ``x-api-key`` for Anthropic).
    """

    def __init__(self, *, api_key: str | None = None) -> None:
        self.api_key = api_key
        #: Model ids ``GET /v1/models`` lists (chat requests accept any model regardless).
        self.models: list[str] = list(DEFAULT_MODELS)
        self._lock = threading.Lock()
        self._turns: deque[Turn | Fault] = deque()
        self._faults: deque[Fault] = deque()
        self._responder: Responder | None = None
        self._requests: list[RecordedRequest] = []
        self._problems: list[str] = []
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeLLMServer:
        """Bind an ephemeral port on 127.0.0.1 and serve in a daemon thread."""
        handler = type("_BoundHandler", (_Handler,), {"fake": self})
        httpd = _Server(("127.0.0.1", 0), handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
            name="fake-llm-server",
        )  # fmt: skip
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; hung requests are released and their connections closed."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port."""
        if self._httpd is None:
            raise RuntimeError("fake LLM server is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` - the host root."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base(self) -> str:
        """``api_base`` for OpenAI-compatible clients (ends with ``/v1``)."""
        return f"{self.base_url}/v1"

    @property
    def anthropic_base(self) -> str:
        """``api_base`` for Anthropic clients: the host root (LiteLLM adds ``/v1/messages``)."""
        return self.base_url

    # -- scripting ------------------------------------------------------------------------

    def script(self, *turns: Turn | Fault | str) -> FakeLLMServer:
        """Queue answers, one per request; a plain string is a text-only :class:`Turn`.

        A :class:`Fault` in the queue is served in its place in the sequence. Scripted turns
        are used only while no callable responder is set.
        """
        with self._lock:
            for turn in turns:
                self._turns.append(Turn(text=turn) if isinstance(turn, str) else turn)
        return self

    def respond_with(self, responder: Responder | None) -> FakeLLMServer:
        """Answer every request by calling ``responder(request)`` (``None`` restores the queue)."""
        with self._lock:
            self._responder = responder
        return self

    def fail(
        self,
        status: int = 500,
        *,
        times: int = 1,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> FakeLLMServer:
        """Answer the next ``times`` requests with HTTP ``status`` and a protocol error body."""
        return self._add_faults(
            times, Fault("error", status=status, retry_after=retry_after, message=message)
        )

    def rate_limit(self, *, times: int = 1, retry_after: float | None = 0.0) -> FakeLLMServer:
        """429 Too Many Requests with ``Retry-After`` (seconds, may be fractional)."""
        return self.fail(429, times=times, retry_after=retry_after)

    def overloaded(self, *, times: int = 1) -> FakeLLMServer:
        """Anthropic's 529 ``overloaded_error``."""
        return self.fail(529, times=times)

    def delay(self, seconds: float, *, times: int = 1) -> FakeLLMServer:
        """Wait ``seconds`` before answering the next ``times`` requests normally."""
        return self._add_faults(times, Fault("delay", seconds=seconds))

    def hang(self, *, times: int = 1) -> FakeLLMServer:
        """Accept the next ``times`` requests and never answer them (timeout tests)."""
        return self._add_faults(times, Fault("hang"))

    def disconnect(self, *, times: int = 1) -> FakeLLMServer:
        """Close the connection of the next ``times`` requests without answering."""
        return self._add_faults(times, Fault("disconnect"))

    def _add_faults(self, times: int, fault: Fault) -> FakeLLMServer:
        with self._lock:
            self._faults.extend([fault] * times)
        return self

    def reset(self) -> None:
        """Forget scripted turns, faults, the responder and recorded requests."""
        with self._lock:
            self._turns.clear()
            self._faults.clear()
            self._responder = None
            self._requests.clear()
            self._problems.clear()

    # -- recording ------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    def chat_requests(self) -> list[RecordedRequest]:
        """Requests to either chat endpoint."""
        return [r for r in self.requests if r.protocol is not None and r.method == "POST"]

    def parsed_requests(self) -> list[LLMRequest]:
        """Chat requests parsed into :class:`LLMRequest`."""
        return [
            _parse_request(r.protocol, r.json)
            for r in self.chat_requests()
            if r.protocol is not None and isinstance(r.json, dict)
        ]

    def requests_containing(
        self, value: str, *, include_headers: bool = False
    ) -> list[RecordedRequest]:
        """Requests whose body (or headers, if asked) contains ``value``."""
        return [r for r in self.requests if r.contains(value, include_headers=include_headers)]

    @property
    def problems(self) -> list[str]:
        """Why the server could not answer some request (e.g. no scripted turn left)."""
        with self._lock:
            return list(self._problems)

    @property
    def pending_turns(self) -> int:
        """Scripted turns not yet served."""
        with self._lock:
            return len(self._turns)

    # -- used by the handler --------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _problem(self, text: str) -> None:
        with self._lock:
            self._problems.append(text)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def _next_answer(self, request: LLMRequest) -> Turn | Fault | None:
        with self._lock:
            responder = self._responder
            if responder is None:
                return self._turns.popleft() if self._turns else None
        return responder(request)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):04d}"


# --------------------------------------------------------------------------------------------
# HTTP handling
# --------------------------------------------------------------------------------------------


def _parse_request(protocol: Protocol, body: JSON) -> LLMRequest:
    return LLMRequest(
        protocol=protocol,
        model=str(body.get("model", "")),
        messages=list(body.get("messages") or []),
        tools=list(body.get("tools") or []),
        stream=bool(body.get("stream", False)),
        body=body,
    )


def _split(text: str, size: int) -> list[str]:
    size = max(1, size)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _pieces(text: str, count: int) -> list[str]:
    """``text`` cut into ``count`` roughly equal, non-empty pieces (fewer if too short)."""
    if not text:
        return []
    count = max(1, min(count, len(text)))
    step = -(-len(text) // count)
    return _split(text, step)


class _Server(ThreadingHTTPServer):
    """Threads are daemons (a hung handler never blocks shutdown); errors become problems."""

    daemon_threads = True
    fake: FakeLLMServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connection resets are normal here (clients time out); anything else is recorded."""
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):
            self.fake._problem(f"fake LLM server handler crashed: {exc!r}")


@dataclass(frozen=True)
class _Sse:
    """One SSE event on the wire; ``content`` marks the events ``interrupt_after`` counts."""

    data: bytes
    content: bool = False


class _Disconnect(Exception):
    """Raised inside the handler to drop the connection without answering."""


class _Handler(BaseHTTPRequestHandler):
    fake: FakeLLMServer
    protocol_version = "HTTP/1.1"
    server_version = "FakeLLM/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Keep pytest output clean: requests are recorded, not logged."""

    # -- dispatch -------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        body = self._read_body()
        try:
            parsed: Any = json.loads(body) if body else None
        except ValueError:
            parsed = None
        path = self.path.split("?", 1)[0]
        self.fake._record(
            RecordedRequest(
                method=self.command,
                path=path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                json=parsed,
                received_at=time.monotonic(),
            )
        )
        protocol: Protocol | None = {OPENAI_PATH: "openai", ANTHROPIC_PATH: "anthropic"}.get(path)  # type: ignore[assignment]
        try:
            if self.command == "GET" and (
                path == MODELS_PATH or path.startswith(MODELS_PATH + "/")
            ):
                self._models(urllib.parse.unquote(path.removeprefix(MODELS_PATH).strip("/")))
                return
            if self.command != "POST" or protocol is None:
                self._send_json(404, {"error": {"message": f"no route for {self.command} {path}"}})
                return
            if not isinstance(parsed, dict):
                self._send_error(protocol, 400, "request body is not a JSON object")
                return
            self._chat(protocol, _parse_request(protocol, parsed))
        except _Disconnect:
            self.close_connection = True
            self._abort()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_POST = _handle
    do_GET = _handle
    do_PUT = _handle
    do_DELETE = _handle
    do_PATCH = _handle

    def _chat(self, protocol: Protocol, request: LLMRequest) -> None:
        if self.fake.api_key is not None and not self._authorised(protocol):
            self._send_error(protocol, 401, "invalid x-api-key / bearer token")
            return
        fault = self.fake._next_fault()
        if fault is not None and fault.kind != "delay":
            self._serve_fault(protocol, fault)
            return
        if fault is not None:
            time.sleep(fault.seconds)
        answer = self.fake._next_answer(request)
        if answer is None:
            message = (
                f"fake LLM server: no scripted turn left for request #{len(self.fake.requests)} "
                f"(last user text: {request.last_user_text[:80]!r})"
            )
            self.fake._problem(message)
            self._send_error(protocol, 400, message)
            return
        if isinstance(answer, Fault):
            self._serve_fault(protocol, answer)
            return
        if protocol == "openai":
            self._openai(request, answer)
        else:
            self._anthropic(request, answer)

    def _models(self, model_id: str) -> None:
        """The model list, or one model, as the protocol of the request's headers has them."""
        protocol: Protocol = "anthropic" if "anthropic-version" in self.headers else "openai"
        if self.fake.api_key is not None and not self._authorised(protocol):
            self._send_error(protocol, 401, "invalid x-api-key / bearer token")
            return
        fault = self.fake._next_fault()
        if fault is not None and fault.kind != "delay":
            self._serve_fault(protocol, fault)
            return
        if fault is not None:
            time.sleep(fault.seconds)
        models = list(self.fake.models)
        entries: list[JSON]
        if protocol == "anthropic":
            entries = [
                {"type": "model", "id": name, "display_name": name,
                 "created_at": "2026-01-01T00:00:00Z"}
                for name in models
            ]  # fmt: skip
        else:
            entries = [
                {"id": name, "object": "model", "created": 1767225600, "owned_by": "fake"}
                for name in models
            ]
        if model_id:
            found = [entry for entry in entries if entry["id"] == model_id]
            if not found:
                self._send_error(protocol, 404, f"model: {model_id}")
                return
            self._send_json(200, found[0])
        elif protocol == "anthropic":
            first, last = (models[0], models[-1]) if models else (None, None)
            body = {"data": entries, "has_more": False, "first_id": first, "last_id": last}
            self._send_json(200, body)
        else:
            self._send_json(200, {"object": "list", "data": entries})

    def _authorised(self, protocol: Protocol) -> bool:
        if protocol == "openai":
            return self.headers.get("Authorization", "") == f"Bearer {self.fake.api_key}"
        return self.headers.get("x-api-key", "") == self.fake.api_key

    # -- faults ---------------------------------------------------------------------------

    def _serve_fault(self, protocol: Protocol, fault: Fault) -> None:
        if fault.kind == "hang":
            self._hang()
            raise _Disconnect
        if fault.kind == "disconnect":
            raise _Disconnect
        headers = {}
        if fault.retry_after is not None:
            seconds = fault.retry_after
            headers["Retry-After"] = str(int(seconds)) if seconds == int(seconds) else str(seconds)
        self._send_error(protocol, fault.status, fault.message, headers)

    def _hang(self) -> None:
        """Hold the request until the client hangs up, the server stops or the cap passes."""
        deadline = time.monotonic() + MAX_HANG_SECONDS
        while time.monotonic() < deadline and not self.fake._stopping.is_set():
            if self._client_gone(0.05):
                return

    def _client_gone(self, wait: float) -> bool:
        try:
            readable, _, _ = select.select([self.connection], [], [], wait)
            if not readable:
                return False
            return bool(self.connection.recv(1, socket.MSG_PEEK) == b"")
        except (OSError, ValueError):
            return True

    def _abort(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send_error(
        self,
        protocol: Protocol,
        status: int,
        message: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        kind = {
            400: "invalid_request_error",
            401: "authentication_error",
            403: "permission_error",
            404: "not_found_error",
            429: "rate_limit_error",
            529: "overloaded_error",
        }.get(status, "api_error")
        text = message or f"fake LLM server: injected {status} ({kind})"
        if protocol == "anthropic":
            body: JSON = {"type": "error", "error": {"type": kind, "message": text}}
        else:
            body = {"error": {"message": text, "type": kind, "param": None, "code": kind}}
        self._send_json(status, body, headers)

    # -- plain responses ------------------------------------------------------------------

    def _send_json(self, status: int, body: JSON, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _end_sse(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _stream(self, turn: Turn, events: Iterator[_Sse]) -> None:
        """Write SSE events, breaking off as the turn's ``interrupt_after`` says."""
        self._start_sse()
        sent = 0
        for sse in events:
            if turn.interrupt_after is not None and sse.content and sent >= turn.interrupt_after:
                if turn.interrupt == "hang":
                    self._hang()
                raise _Disconnect
            self._write_chunk(sse.data)
            sent += int(sse.content)
            if turn.chunk_delay:
                time.sleep(turn.chunk_delay)
        self._end_sse()

    # -- OpenAI ---------------------------------------------------------------------------

    def _openai(self, request: LLMRequest, turn: Turn) -> None:
        completion_id = self.fake._new_id("chatcmpl-fake")
        calls = [(call.id or self.fake._new_id("call_fake"), call) for call in turn.tool_calls]
        finish = "tool_calls" if calls else "stop"
        usage = {
            "prompt_tokens": turn.input_tokens,
            "completion_tokens": turn.completion_tokens,
            "total_tokens": turn.input_tokens + turn.completion_tokens,
        }
        if not request.stream:
            message: JSON = {"role": "assistant", "content": turn.text or None}
            if calls:
                message["tool_calls"] = [
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {"name": call.name, "arguments": call.arguments_text},
                    }
                    for call_id, call in calls
                ]
            self._send_json(
                200,
                {
                    "id": completion_id,
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": request.model,
                    "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                    "usage": usage,
                },
            )
            return
        include_usage = bool((request.body.get("stream_options") or {}).get("include_usage"))
        self._stream(
            turn,
            self._openai_events(request, turn, completion_id, calls, finish, usage, include_usage),
        )

    def _openai_events(
        self,
        request: LLMRequest,
        turn: Turn,
        completion_id: str,
        calls: list[tuple[str, ToolCall]],
        finish: str,
        usage: JSON,
        include_usage: bool,
    ) -> Iterator[_Sse]:
        created = int(time.time())

        def chunk(delta: JSON, finish_reason: str | None = None) -> bytes:
            body: JSON = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": request.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
            }
            return b"data: " + json.dumps(body).encode() + b"\n\n"

        yield _Sse(chunk({"role": "assistant", "content": ""}))
        for piece in _split(turn.text, turn.chunk_size):
            yield _Sse(chunk({"content": piece}), content=True)
        for index, (call_id, call) in enumerate(calls):
            head = {
                "index": index,
                "id": call_id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            yield _Sse(chunk({"tool_calls": [head]}), content=True)
            for piece in _pieces(call.arguments_text, turn.argument_pieces):
                fragment = {"index": index, "function": {"arguments": piece}}
                yield _Sse(chunk({"tool_calls": [fragment]}), content=True)
        yield _Sse(chunk({}, finish))
        if include_usage:
            tail = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": request.model,
                "choices": [],
                "usage": usage,
            }
            yield _Sse(b"data: " + json.dumps(tail).encode() + b"\n\n")
        yield _Sse(b"data: [DONE]\n\n")

    # -- Anthropic ------------------------------------------------------------------------

    def _anthropic(self, request: LLMRequest, turn: Turn) -> None:
        message_id = self.fake._new_id("msg_fake")
        calls = [(call.id or self.fake._new_id("toolu_fake"), call) for call in turn.tool_calls]
        stop = "tool_use" if calls else "end_turn"
        if not request.stream:
            content: list[JSON] = []
            if turn.text:
                content.append({"type": "text", "text": turn.text})
            for call_id, call in calls:
                arguments: Any = call.arguments
                if isinstance(arguments, str):
                    # Unparseable text is sent as a JSON string: the closest a real API gets.
                    with contextlib.suppress(ValueError):
                        arguments = json.loads(arguments)
                content.append(
                    {"type": "tool_use", "id": call_id, "name": call.name, "input": arguments}
                )
            self._send_json(
                200,
                {
                    "id": message_id,
                    "type": "message",
                    "role": "assistant",
                    "model": request.model,
                    "content": content,
                    "stop_reason": stop,
                    "stop_sequence": None,
                    "usage": {
                        "input_tokens": turn.input_tokens,
                        "output_tokens": turn.completion_tokens,
                    },
                },
            )
            return
        self._stream(turn, self._anthropic_events(request, turn, message_id, calls, stop))

    def _anthropic_events(
        self,
        request: LLMRequest,
        turn: Turn,
        message_id: str,
        calls: list[tuple[str, ToolCall]],
        stop: str,
    ) -> Iterator[_Sse]:
        def event(name: str, body: JSON) -> bytes:
            return f"event: {name}\ndata: {json.dumps(body)}\n\n".encode()

        yield _Sse(
            event(
                "message_start",
                {
                    "type": "message_start",
                    "message": {
                        "id": message_id,
                        "type": "message",
                        "role": "assistant",
                        "model": request.model,
                        "content": [],
                        "stop_reason": None,
                        "stop_sequence": None,
                        "usage": {"input_tokens": turn.input_tokens, "output_tokens": 1},
                    },
                },
            )
        )
        index = 0
        if turn.text:
            text_block = {"type": "text", "text": ""}
            start = {"type": "content_block_start", "index": 0, "content_block": text_block}
            yield _Sse(event("content_block_start", start))
            yield _Sse(event("ping", {"type": "ping"}))
            for piece in _split(turn.text, turn.chunk_size):
                delta = {"type": "text_delta", "text": piece}
                yield _Sse(
                    event(
                        "content_block_delta",
                        {"type": "content_block_delta", "index": 0, "delta": delta},
                    ),
                    content=True,
                )
            yield _Sse(event("content_block_stop", {"type": "content_block_stop", "index": 0}))
            index = 1
        for call_id, call in calls:
            block = {"type": "tool_use", "id": call_id, "name": call.name, "input": {}}
            yield _Sse(
                event(
                    "content_block_start",
                    {"type": "content_block_start", "index": index, "content_block": block},
                ),
                content=True,
            )
            for piece in ["", *_pieces(call.arguments_text, turn.argument_pieces)]:
                delta = {"type": "input_json_delta", "partial_json": piece}
                yield _Sse(
                    event(
                        "content_block_delta",
                        {"type": "content_block_delta", "index": index, "delta": delta},
                    ),
                    content=bool(piece),
                )
            yield _Sse(event("content_block_stop", {"type": "content_block_stop", "index": index}))
            index += 1
        yield _Sse(
            event(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop, "stop_sequence": None},
                    "usage": {"output_tokens": turn.completion_tokens},
                },
            )
        )
        yield _Sse(event("message_stop", {"type": "message_stop"}))
