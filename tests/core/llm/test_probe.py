"""The LLM probe of ``config check --live`` against servers that answer oddly, over loopback.

The four cases a user meets (refused, timeout, key, model) are covered end to end with the fake
LLM server in tests/integration/test_config_live.py; these are the rest: Ollama's own model
list, a server that is not an LLM API, a server error, a dropped connection.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from logai.llm.probe import LLMTarget, Probe, probe_llm

pytestmark = pytest.mark.network_loopback

#: path -> (status, body); a body of None drops the connection without answering.
Routes = dict[str, tuple[int, Any]]


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: Routes

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        status, body = self.routes.get(self.path.split("?")[0], (404, {"error": "no route"}))
        if body is None:
            self.close_connection = True
            return
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[tuple[str, Routes]]:
    routes: Routes = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", routes
    finally:
        httpd.shutdown()
        httpd.server_close()


def _probe(provider: str, model: str, api_base: str) -> Probe:
    target = LLMTarget(
        model=f"{provider}/{model}",
        provider=provider,
        api_base=api_base,
        api_key=None,
        key_variable=None,
        timeout=5.0,
    )
    return asyncio.run(probe_llm(target))


@pytest.mark.parametrize("model", ["qwen2.5:14b", "llama3"])
def test_ollama_models_are_read_from_its_own_list(server: tuple[str, Routes], model: str) -> None:
    base, routes = server
    routes["/api/tags"] = (200, {"models": [{"name": "qwen2.5:14b"}, {"name": "llama3:latest"}]})

    probe = _probe("ollama", model, base)

    assert probe.ok, probe.message
    assert f"model {model} pulled" in probe.message and "no tokens spent" in probe.message


def test_an_ollama_model_not_pulled_is_named_with_the_closest(server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/api/tags"] = (200, {"models": [{"name": "qwen2.5:14b"}]})

    probe = _probe("ollama", "qwen2.5:7b", base)

    assert not probe.ok and probe.outcome == "model"
    assert "model 'qwen2.5:7b' is not served by" in probe.message
    assert "Did you mean qwen2.5:14b?" in probe.message and "pull it" in probe.message


def test_a_server_that_is_not_an_llm_api_says_what_to_check(server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/v1/models"] = (200, "<html>Welcome to nginx</html>")

    probe = _probe("openai", "m", f"{base}/v1")

    assert not probe.ok and probe.outcome == "other"
    assert f"{base}/v1/models did not answer like an OpenAI-compatible API" in probe.message
    assert "ending in /v1" in probe.message


def test_a_server_error_is_quoted_with_its_status(server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/v1/models"] = (503, {"error": {"message": "model loading, try later"}})

    probe = _probe("openai", "m", f"{base}/v1")

    assert not probe.ok
    assert probe.message == f"{base}/v1/models answered HTTP 503: model loading, try later."


def test_a_dropped_connection_is_reported_not_raised(server: tuple[str, Routes]) -> None:
    base, routes = server
    routes["/v1/models"] = (200, None)

    probe = _probe("openai", "m", f"{base}/v1")

    assert not probe.ok
    assert f"{base}/v1/models" in probe.message and "closed the connection" in probe.message


def test_anthropic_resolves_an_alias_through_the_one_model_endpoint(
    server: tuple[str, Routes],
) -> None:
    base, routes = server
    routes["/v1/models/claude-sonnet-4-5"] = (200, {"id": "claude-sonnet-4-5-20250929"})

    probe = _probe("anthropic", "claude-sonnet-4-5", base)

    assert probe.ok, probe.message
    assert "model claude-sonnet-4-5 served (as claude-sonnet-4-5-20250929)" in probe.message
