"""Loading litellm: the cycle collector stays out of the import and is left as it was found.

Why it matters: the collector, triggered by allocation counts while a million long-lived objects
are created, was measured at a fifth of the import and most of the first request's own work
(``benchmarks/bench_ask_latency.py``). What is checked here is the contract around that, not
the time: collection is off during the import, what the import made is frozen, and the
process's own setting (on or off) is restored.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from logai.llm._litellm import _no_cyclic_collection


@pytest.fixture
def restored_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("restored_collector")
@pytest.mark.parametrize("enabled_before", [True, False])
def test_collection_is_off_inside_and_restored_after(enabled_before: bool) -> None:
    if enabled_before:
        gc.enable()
    else:
        gc.disable()
    with _no_cyclic_collection():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled_before


@pytest.mark.usefixtures("restored_collector")
def test_a_failed_import_still_restores_the_collector() -> None:
    gc.enable()
    with pytest.raises(ImportError), _no_cyclic_collection():
        raise ImportError("no module named litellm")
    assert gc.isenabled()


@pytest.mark.usefixtures("restored_collector")
def test_what_was_loaded_meanwhile_is_frozen() -> None:
    gc.unfreeze()
    with _no_cyclic_collection():
        kept = [[index] for index in range(1000)]
    assert gc.get_freeze_count() >= len(kept)


@pytest.mark.slow
def test_loading_litellm_in_a_fresh_interpreter() -> None:
    """The real import, where nothing else imported litellm before (seconds, so one process)."""
    script = (
        "import gc, sys\n"
        "from logai.llm import _litellm\n"
        "during = []\n"
        "def seen(phase, info):\n"
        "    if phase == 'start' and 'litellm' in sys.modules and not _litellm.is_loaded():\n"
        "        during.append(info['generation'])\n"
        "gc.callbacks.append(seen)\n"
        "module = _litellm.load_litellm()\n"
        "print(module.__name__, gc.isenabled(), gc.get_freeze_count() > 100_000, len(during))\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LITELLM_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["litellm", "True", "True", "0"]
