"""The messages docs/llm.md and docs/troubleshooting.md quote are the ones LogAI prints.

Each quote in the first column of their tables (``…`` stands for details) must match, fragment
by fragment and in order, a message produced here by the real code: the commands run
in-process, the LLM error mapping, the orchestrator over a scripted model, the CloudWatch error
mapping and moto. Quotes this test cannot produce are listed in ``NOT_CHECKED``, so a new row is
checked by default.
"""

from __future__ import annotations

import asyncio
import http.server
import re
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from logai.cli.app import cli
from logai.config import load_settings
from logai.llm._errors import ErrorContext, Failure, to_llm_error
from logai.llm.events import Failed
from logai.llm.orchestrator import Orchestrator
from tests.cloudwatch.test_cli_first_hour import _NotAws
from tests.fakes.fake_llm import FakeLLMServer
from tests.fakes.fixtures import fake_llm  # noqa: F401 - fixture
from tests.fakes.memory_source import MemorySource
from tests.fakes.moto_server import MotoServer, moto_server, use_fake_aws  # noqa: F401
from tests.fakes.scripted_llm import Reply, ScriptedProvider

pytestmark = pytest.mark.network_loopback

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "docs" / "sample-logs"
#: Quotes of situations this test cannot stage cheaply (third-party plugin failures, a locked
#: cache, terminal escapes, masking); other tests cover their behaviour.
NOT_CHECKED = {
    "Stopped before sending unsanitized text to the LLM",
    "warning: plugin 'x' … skipped",
    "warning: plugin 'x' (dist): failed to import: …; sanitizer rules it may carry are missing, "
    "so nothing is sent to an LLM …",  # tests/core/test_plugins.py
    "sanitizer unavailable: plugin 'x' …",
    "sanitizer rule 'x' took more than its 20 ms budget",
    "… registered frontend 'tui', already registered by plugin …; refused",
    "warning: cache …",
    "error: plugin 'x' (dist): data source 'y' …",  # tests/core/test_plugin_faults.py
    "\\x1b[31m",
    "\\u202e",
    "\\n",
    "********",
    "logai config show",
}


def _quotes(doc: str) -> list[str]:
    """Backtick spans in the first column of the doc's message tables."""
    quotes = []
    for line in (ROOT / "docs" / doc).read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            first = line.split(" | ")[0]
            quotes += re.findall(r"`([^`]+)`", first)
    return quotes


def _matches(quote: str, message: str) -> bool:
    position = 0
    for fragment in (part.strip() for part in quote.split("…")):
        found = message.find(fragment, position)
        if found < 0:
            return False
        position = found + len(fragment)
    return True


def _cli(env: dict[str, str | None], *args: str) -> str:
    result = CliRunner(env=env).invoke(cli, list(args))
    return result.stdout + result.stderr


def _llm_messages() -> list[str]:
    contexts = [
        ErrorContext("anthropic/claude-sonnet-4-5", "anthropic", "LOGAI_ANTHROPIC_API_KEY", None,
                     120.0, 4),
        ErrorContext("openai/qwen2.5:14b", "openai", None, "http://localhost:11434/v1", 120.0, 4),
    ]  # fmt: skip
    failures = [
        Failure("auth", 401, "invalid x-api-key"),
        Failure("rate_limit", 429, ""),
        Failure("timeout", None, ""),
        Failure("connection", None, "Connection refused"),
        Failure("not_found", 404, "model not found"),
        Failure("context", 400, "prompt is too long"),
    ]
    return [
        to_llm_error(failure, ctx, attempts=5).message for ctx in contexts for failure in failures
    ]


def _orchestrator_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    async def failures(provider: ScriptedProvider, question: str = "why?") -> list[str]:
        orchestrator = Orchestrator(load_settings(), provider=provider, source=MemorySource([]))
        try:
            return [e.message async for e in orchestrator.ask(question) if isinstance(e, Failed)]
        finally:
            await orchestrator.aclose()

    looping = ScriptedProvider(*[Reply(calls=[("list_log_groups", {})]) for _ in range(40)])
    messages = asyncio.run(failures(looping))
    monkeypatch.setenv("LOGAI_SANITIZER_DISABLED_RULES", "emial")
    messages += asyncio.run(failures(ScriptedProvider(Reply(text="never"))))
    monkeypatch.delenv("LOGAI_SANITIZER_DISABLED_RULES")
    # Cost caps: over the cap (a priced model), and no price to enforce one with.
    monkeypatch.setenv("LOGAI_MAX_COST_PER_QUESTION", "0.000001")
    priced = ScriptedProvider(Reply(text="never"))
    priced.model = "openai/gpt-4o-mini"
    messages += asyncio.run(failures(priced))
    messages += asyncio.run(failures(ScriptedProvider(Reply(text="never"))))
    monkeypatch.delenv("LOGAI_MAX_COST_PER_QUESTION")
    # A window too small for the system prompt, the tools and the question.
    monkeypatch.setenv("LOGAI_LLM_CONTEXT_TOKENS", "2000")
    messages += asyncio.run(failures(ScriptedProvider(Reply(text="never")), "why? " * 500))
    monkeypatch.delenv("LOGAI_LLM_CONTEXT_TOKENS")
    return messages


def _config_messages(tmp_path: Path) -> list[str]:
    files: dict[str, str | None] = {"LOGAI_DATA_SOURCE": "files", "LOGAI_FILES_ROOT": str(SAMPLES)}
    keyed = {**files, "LOGAI_ANTHROPIC_API_KEY": "sk-ant-test"}
    return [
        _cli(files, "config", "check"),
        _cli({**keyed, "LOGAI_LLM_PROVIDER": "antropic"}, "config", "check"),
        _cli(
            {"LOGAI_ANTHROPIC_API_KEY": "x", "AWS_REGION": None, "AWS_DEFAULT_REGION": None},
            "config",
            "check",
        ),
        _cli({**keyed, "LOGAI_SANITIZER_DISABLED_RULES": "emial"}, "config", "check"),
        _cli({**keyed, "LOGAI_DISABLE_PLUGINS": "cloudwach"}, "config", "check"),
        _cli(keyed, "ask", "--source", "filez", "hi"),
        _cli(files, "logs", "checkout.log", "--since", "yesterdy"),
        _cli(files, "logs", "checkout.log"),
        _cli({**files, "LOGAI_FILES_ROOT": str(tmp_path)}, "logs", str(SAMPLES / "checkout.log")),
    ]


def _live_messages(llm: FakeLLMServer, moto: MotoServer) -> list[str]:
    """``config check --live`` against the fake LLM server: refused, silent, bad key, bad model."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}/v1"
    files: dict[str, str | None] = {
        "LOGAI_DATA_SOURCE": "files",
        "LOGAI_FILES_ROOT": str(SAMPLES),
        "LOGAI_LLM_PROVIDER": "openai",
        "LOGAI_LLM_API_BASE": llm.openai_base,
        "LOGAI_LLM_MODEL": "qwen2.5:14",
        "LOGAI_OPENAI_API_KEY": "sk-right",
        "LOGAI_LLM_TIMEOUT": "1",
    }
    llm.models.append("qwen2.5:14b")
    llm.api_key = "sk-right"
    messages = [
        _cli({**files, "LOGAI_LLM_API_BASE": dead}, "config", "check", "--live"),
        _cli(files, "config", "check", "--live"),
        _cli({**files, "LOGAI_OPENAI_API_KEY": "sk-wrong"}, "config", "check", "--live"),
    ]
    llm.hang()
    messages.append(_cli(files, "config", "check", "--live"))
    moto.reset()
    request = urllib.request.Request(
        f"{moto.endpoint}/moto-api/reset-auth", b"0", {"Content-Type": "text/plain"}
    )
    urllib.request.urlopen(request, timeout=10).close()
    try:
        cloudwatch = {"LOGAI_CACHE_ENABLED": "false", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS":
                      moto.endpoint}  # fmt: skip
        messages.append(_cli(cloudwatch, "config", "check", "--live", "--for", "logs"))
    finally:
        request = urllib.request.Request(
            f"{moto.endpoint}/moto-api/reset-auth", b"inf", {"Content-Type": "text/plain"}
        )
        urllib.request.urlopen(request, timeout=10).close()
    return messages


@pytest.fixture
def not_aws() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _NotAws)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _cloudwatch_messages(moto: MotoServer, not_aws: str) -> list[str]:
    from botocore.exceptions import ClientError  # type: ignore[import-untyped]

    from logai_cloudwatch.errors import ErrorContext as AwsContext
    from logai_cloudwatch.errors import map_error

    moto.reset()
    moto.logs_client().create_log_group(logGroupName="/aws/lambda/checkout-service")
    env: dict[str, str | None] = {"LOGAI_CACHE_ENABLED": "false"}
    ctx = AwsContext("logs:FilterLogEvents", group="/aws/lambda/x", target="region us-east-1")

    def client_error(code: str) -> ClientError:
        return ClientError({"Error": {"Code": code, "Message": "m"}}, "FilterLogEvents")

    return [
        _cli(
            {**env, "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": moto.endpoint}, "logs", "checkout-service"
        ),
        _cli({**env, "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS": not_aws}, "groups"),
        str(map_error(client_error("ExpiredTokenException"), ctx)),
        str(map_error(client_error("AccessDeniedException"), ctx)),
    ]


def test_every_quoted_message_is_printed(
    moto_server: MotoServer,  # noqa: F811
    fake_llm: FakeLLMServer,  # noqa: F811
    not_aws: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_fake_aws(monkeypatch)
    messages = [
        *_llm_messages(),
        *_orchestrator_messages(monkeypatch),
        *_config_messages(tmp_path),
        *_cloudwatch_messages(moto_server, not_aws),
        *_live_messages(fake_llm, moto_server),
    ]
    quotes = _quotes("llm.md") + _quotes("troubleshooting.md")
    assert len(quotes) > 20
    unmatched = [
        quote
        for quote in quotes
        if quote not in NOT_CHECKED and not any(_matches(quote, m) for m in messages)
    ]
    assert not unmatched, "\n".join(unmatched) + "\n--- printed:\n" + "\n".join(messages)
