"""The question totals `logai ask --json` prints: a total cost only when every call's is known."""

from __future__ import annotations

import pytest

from logai.llm.events import Usage
from logai.llm.usage import UsageTotals


def test_priced_calls_add_up() -> None:
    totals = UsageTotals()
    totals.add(Usage("a", 10, 1, 0.002))
    totals.add(Usage("a", 20, 2, 0.003))
    assert totals.to_dict() == {
        "calls": 2,
        "prompt_tokens": 30,
        "completion_tokens": 3,
        "cost_usd": pytest.approx(0.005),
        "unpriced_calls": 0,
    }


def test_one_unpriced_call_makes_the_cost_unknown_but_keeps_the_tokens() -> None:
    totals = UsageTotals()
    totals.add(Usage("a", 10, 1, 0.002))
    totals.add(Usage("b", 10, 1, None))
    assert totals.to_dict() == {
        "calls": 2,
        "prompt_tokens": 20,
        "completion_tokens": 2,
        "cost_usd": None,
        "unpriced_calls": 1,
    }
    assert totals.cost_text() == "$0.0020 + 1 unpriced"  # the human line still shows the part


def test_no_reported_call_is_no_known_cost() -> None:
    assert UsageTotals().to_dict()["cost_usd"] is None


def test_a_free_model_costs_zero_not_unknown() -> None:
    totals = UsageTotals()
    totals.add(Usage("local", 10, 1, 0.0))
    assert totals.to_dict()["cost_usd"] == 0.0
