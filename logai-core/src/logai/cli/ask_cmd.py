"""``logai ask "QUESTION"``: one question, the answer streamed to stdout.

Tool activity and the redaction summary go to stderr, so ``logai ask ... > answer.md`` keeps
only the answer. ``--json`` prints the orchestrator's event stream as JSON lines instead.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm.orchestrator import Orchestrator


@click.command("ask")
@click.argument("question", nargs=-1, required=True)
@click.option("--model", help="LiteLLM model string for this question (overrides LOGAI_LLM_MODEL).")
@click.option("--source", "source_name", help="Data source to use (overrides LOGAI_DATA_SOURCE).")
@click.option("--json", "as_json", is_flag=True, help="Print the event stream as JSON lines.")
def ask(
    question: tuple[str, ...], model: str | None, source_name: str | None, as_json: bool
) -> None:
    """Ask one question about your logs and stream the answer."""
    from logai.cli import _fast_exit
    from logai.llm._litellm import start_loading

    # The LLM client takes seconds to import: it loads while the settings, plugins and data
    # source do, and the process ends without tearing those modules down again.
    start_loading()
    _fast_exit.request()
    from logai.cli._common import (
        EXIT_FAILED,
        check_source_option,
        interrupted,
        load_settings_or_exit,
        require_ready,
        run_async,
    )

    check_source_option(source_name)
    overrides = {"llm_model": model} if model else {}
    if source_name:
        overrides["data_source"] = source_name
    settings = load_settings_or_exit(**overrides)
    require_ready(settings, for_llm=True)
    text = " ".join(question).strip()
    if not text:
        raise click.UsageError("The question is empty.")
    try:
        ok = run_async(_run(settings, text, as_json))
    except KeyboardInterrupt:
        interrupted()
    sys.exit(0 if ok else EXIT_FAILED)


async def _run(settings: LogAISettings, question: str, as_json: bool) -> bool:
    from logai.llm.orchestrator import Orchestrator

    orchestrator = Orchestrator(settings)
    try:
        return await _answer(orchestrator, question, as_json)
    finally:
        await orchestrator.aclose()


async def _answer(orchestrator: Orchestrator, question: str, as_json: bool) -> bool:
    from logai.frontends.render import AnswerWriter
    from logai.llm.events import Done, TextDelta
    from logai.terminal import json_safe

    writer = AnswerWriter(orchestrator.restore, sys.stdout, sys.stderr)
    ok = False
    async for event in orchestrator.ask(question):
        if as_json:
            # Same data, but DEL, C1 and bidi characters as \u escapes: valid JSON, inert bytes.
            sys.stdout.write(json_safe(json.dumps(event.to_dict(), ensure_ascii=False)) + "\n")
            sys.stdout.flush()
        elif isinstance(event, TextDelta):
            writer.text(event.text)
        else:
            writer.activity(event)
        if isinstance(event, Done):
            ok = event.ok
    if not as_json:
        writer.end_text()
    return ok
