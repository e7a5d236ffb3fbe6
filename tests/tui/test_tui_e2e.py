"""End to end: the TUI with the real orchestrator, LiteLLM, CloudWatch source and cache.

Only the two far ends are fakes, both over real HTTP on 127.0.0.1: the fake LLM server speaks
the OpenAI protocol and moto's server plays CloudWatch Logs. The model asks for ``fetch_logs``,
gets the sanitized events, and answers citing the placeholder it saw; the TUI shows the tool
panel and the answer with the original address put back — while the LLM never received it.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from logai.config import LogAISettings, load_settings
from logai.testing import isolated_host
from logai_cloudwatch import plugin as cloudwatch_plugin
from logai_tui.app import LogAIApp
from logai_tui.history import InputHistory
from logai_tui.widgets import ErrorMessage
from tests.fakes.fake_llm import FakeLLMServer, LLMRequest, ToolCall, Turn
from tests.fakes.fixtures import fake_llm as fake_llm  # the fixture
from tests.fakes.moto_server import MotoServer
from tests.fakes.moto_server import moto_endpoint as moto_endpoint  # the fixture
from tests.fakes.moto_server import moto_server as moto_server  # the session fixture
from tests.tui.conftest import TERMINAL_SIZE
from tests.tui.helpers import ask, ready, wait_until

pytestmark = [
    pytest.mark.network_loopback,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

GROUP = "/aws/lambda/checkout"
EMAIL = "jane.doe@example.com"
PLACEHOLDER = re.compile(r"<EMAIL_\d+>")


def seed(moto: MotoServer) -> None:
    logs = moto.logs_client()
    logs.create_log_group(logGroupName=GROUP)
    logs.create_log_stream(logGroupName=GROUP, logStreamName="2026/11/25/[$LATEST]abc")
    now_ms = int(time.time() * 1000)
    lines = [
        "START RequestId: 1 Version: $LATEST",
        f"ERROR payment declined for {EMAIL}: card expired",
        "ERROR Task timed out after 30.00 seconds",
        "INFO checkout completed order=1234",
    ]
    logs.put_log_events(
        logGroupName=GROUP,
        logStreamName="2026/11/25/[$LATEST]abc",
        logEvents=[
            {"timestamp": now_ms - (10 - i) * 60_000, "message": line}
            for i, line in enumerate(lines)
        ],
    )


def model(request: LLMRequest) -> Turn:
    """Fetch the logs first; then answer from what came back, quoting its placeholder."""
    if not request.tool_results:
        return Turn(
            text="Let me look at the checkout logs.\n",
            tool_calls=[ToolCall("fetch_logs", {"log_group": GROUP, "start_time": "1h ago"})],
        )
    found = PLACEHOLDER.search(request.tool_results[-1].content)
    who = found.group(0) if found else "nobody"
    return Turn(text=f"Checkout failed **twice**: a declined card for {who} and a timeout.")


@pytest.fixture
def e2e_settings(
    fake_llm: FakeLLMServer, moto_endpoint: MotoServer, tmp_path: Path
) -> LogAISettings:
    return load_settings(
        llm_provider="openai",
        llm_model="openai/gpt-test",
        openai_api_key="sk-test-key",
        llm_api_base=fake_llm.openai_base,
        llm_timeout=20.0,
        cache_dir=tmp_path / "cache",
        history_file=tmp_path / "history",
    )


async def test_tui_answers_a_question_that_needs_a_tool_call(
    e2e_settings: LogAISettings, fake_llm: FakeLLMServer, moto_endpoint: MotoServer
) -> None:
    seed(moto_endpoint)
    fake_llm.respond_with(model)
    with isolated_host(("cloudwatch", cloudwatch_plugin)) as host:
        app = LogAIApp(
            e2e_settings,
            host=host,
            history=InputHistory(e2e_settings.history_file),
            settings_loader=None,
            frozen=True,
        )  # the real orchestrator and cache: no fakes injected
        async with app.run_test(size=TERMINAL_SIZE) as pilot:
            screen = await ready(pilot, within=60)  # litellm imported, CloudWatch source created
            assert screen.status.model == "openai/gpt-test"
            view = await ask(pilot, "why did checkout fail?", wait=False)
            await wait_until(pilot, lambda: view.done, within=60)

            errors = [e.message for e in view.query(ErrorMessage)]
            assert not view.failed, errors
            panel = view.panels[0]
            assert panel.finished is not None and panel.finished.ok
            assert panel.finished.events == 4 and panel.finished.cache == "miss"
            for fact in ("✓", "fetch_logs", GROUP, "4 events", "cache miss", "Redacted 1 email"):
                assert fact in panel.title
            assert view.text.startswith("Let me look at the checkout logs.\n")
            # The answer names the customer; the model only ever saw a placeholder.
            assert f"a declined card for {EMAIL} and a timeout." in view.text
            await wait_until(
                pilot, lambda: screen.status.cache.startswith("cache 1 entr"), within=30
            )

    requests = fake_llm.chat_requests()
    assert len(requests) == 2
    assert not any(r.contains(EMAIL) for r in requests)
    assert PLACEHOLDER.search(requests[1].json["messages"][-1]["content"])
