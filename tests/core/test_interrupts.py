"""The quit-on-second-Ctrl+C counting the plain chat and the TUI share (a hand-moved clock)."""

from __future__ import annotations

from logai.frontends.interrupts import QUIT_WINDOW_SECONDS, InterruptCounter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_only_a_second_press_within_the_window_quits() -> None:
    clock = Clock()
    presses = InterruptCounter(clock=clock)
    assert not presses.press()
    clock.now += QUIT_WINDOW_SECONDS - 0.01
    assert presses.press()


def test_a_press_after_the_window_starts_over() -> None:
    clock = Clock()
    presses = InterruptCounter(clock=clock)
    assert not presses.press()
    clock.now += QUIT_WINDOW_SECONDS
    assert not presses.press()  # too late to quit, but it is the first of a new pair
    clock.now += 0.5
    assert presses.press()


def test_a_typed_line_in_between_starts_over() -> None:
    clock = Clock()
    presses = InterruptCounter(clock=clock)
    presses.press()
    presses.reset()
    clock.now += 0.1
    assert not presses.press()
