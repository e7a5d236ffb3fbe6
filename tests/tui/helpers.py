"""Waiting on the app from pilot tests without fixed sleeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.pilot import Pilot

from logai_tui.screens import ChatScreen
from logai_tui.widgets.answer import AnswerView


async def wait_until(
    pilot: Pilot[int], condition: Callable[[], bool], *, within: float = 10.0
) -> None:
    """Let the app run until ``condition()`` holds; fail the test after ``within`` seconds.

    Sleeps on the shared event loop rather than ``pilot.pause``, which also waits for the
    screen to go idle and so can sleep through a whole streamed answer.
    """
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {condition}")
        await asyncio.sleep(0.005)


def chat(pilot: Pilot[int]) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen), f"expected the chat, found {screen!r}"
    return screen


def answers(pilot: Pilot[int]) -> list[AnswerView]:
    return list(chat(pilot).query(AnswerView))


async def ask(pilot: Pilot[int], question: str, *, wait: bool = True) -> AnswerView:
    """Type ``question``, press Enter and (by default) wait for the answer to finish."""
    before = len(answers(pilot))
    chat(pilot).prompt.insert(question)
    await pilot.press("enter")
    await wait_until(pilot, lambda: len(answers(pilot)) > before)
    view = answers(pilot)[-1]
    if wait:
        await wait_until(pilot, lambda: not chat(pilot).busy)
    return view


async def ready(pilot: Pilot[int], *, within: float = 10.0) -> ChatScreen:
    """Wait until the chat's backend finished warming up."""
    screen = chat(pilot)
    await wait_until(pilot, screen._backend_settled.is_set, within=within)
    await pilot.pause()
    return screen
