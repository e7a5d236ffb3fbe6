"""``logai ask "QUESTION"``: one question, the answer streamed to stdout.

Tool activity and the redaction summary go to stderr, so ``logai ask ... > answer.md`` keeps
only the answer. ``--json`` prints the orchestrator's event stream as JSON lines instead, the
last one (``done``) with the saved conversation's id and the question's usage totals.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.history import ChatSession


@click.command("ask")
@click.argument("question", nargs=-1, required=True)
@click.option("--model", help="LiteLLM model string for this question (overrides LOGAI_LLM_MODEL).")
@click.option("--source", "source_name", help="Data source to use (overrides LOGAI_DATA_SOURCE).")
@click.option(
    "--json", "as_json", is_flag=True,
    help="Print the event stream as JSON lines; the last one (done) has the saved "
    "conversation's id (for --session) and the question's usage totals.",
)  # fmt: skip
@click.option(
    "--max-cost",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop before an LLM call that would take this question over USD this much "
    "(overrides LOGAI_MAX_COST_PER_QUESTION).",
)
@click.option(
    "--continue", "-c", "resume_latest", is_flag=True,
    help="Continue the latest saved conversation (`logai history` lists them).",
)  # fmt: skip
@click.option(
    "--session", "session_id", metavar="ID", type=int,
    help="Continue saved conversation ID (`logai history` lists them).",
)  # fmt: skip
def ask(
    question: tuple[str, ...],
    model: str | None,
    source_name: str | None,
    as_json: bool,
    max_cost: float | None,
    resume_latest: bool,
    session_id: int | None,
) -> None:
    """Ask one question about your logs and stream the answer.

    The question and its answer are saved (LOGAI_HISTORY_ENABLED); --continue or --session
    sends the saved conversation along, so a follow-up question has its context.
    """
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
    overrides: dict[str, object] = {"llm_model": model} if model else {}
    if source_name:
        overrides["data_source"] = source_name
    if max_cost is not None:
        overrides["max_cost_per_question"] = max_cost
    settings = load_settings_or_exit(**overrides)
    require_ready(settings, for_llm=True)
    text = " ".join(question).strip()
    if not text:
        raise click.UsageError("The question is empty.")
    if resume_latest and session_id is not None:
        raise click.UsageError("--continue and --session are exclusive: pick one.")
    resume: int | str | None = "latest" if resume_latest else session_id
    try:
        ok = run_async(_run(settings, text, as_json, resume))
    except KeyboardInterrupt:
        interrupted()
    sys.exit(0 if ok else EXIT_FAILED)


async def _run(
    settings: LogAISettings, question: str, as_json: bool, resume: int | str | None
) -> bool:
    from logai.cli._common import note
    from logai.history.cli import resume_or_exit
    from logai.history.session import open_session
    from logai.llm.orchestrator import Orchestrator

    session = open_session(settings, Orchestrator(settings), frontend="ask")
    try:
        await resume_or_exit(session, resume)
        ok = await _answer(session, question, as_json)
        if session.conversation_id is not None:
            note(
                f"saved as conversation {session.conversation_id}; "
                "`logai ask --continue` asks a follow-up",
                only_on_tty=True,
            )
        return ok
    finally:
        await session.aclose()


async def _answer(session: ChatSession, question: str, as_json: bool) -> bool:
    if as_json:
        return await _answer_json(session, question)
    from logai.frontends.render import AnswerWriter
    from logai.llm.events import Done, TextDelta

    writer = AnswerWriter(session.restore, sys.stdout, sys.stderr)
    ok = False
    async for event in session.ask(question):
        if isinstance(event, TextDelta):
            writer.text(event.text)
        else:
            writer.activity(event)
        if isinstance(event, Done):
            ok = event.ok
    writer.end_text()
    return ok


async def _answer_json(session: ChatSession, question: str) -> bool:
    import asyncio

    from logai.frontends.json_events import JsonEventWriter

    writer = JsonEventWriter(sys.stdout, lambda: session.conversation_id)
    try:
        async for event in session.ask(question):
            writer.event(event)
    except asyncio.CancelledError:
        # Ctrl+C: by now the session has saved the turn as cancelled (its id is known).
        writer.interrupted()
        raise
    return writer.ok
