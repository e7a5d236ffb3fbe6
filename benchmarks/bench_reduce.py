"""Benchmark the log reducer on Loghub: grouping accuracy, token reduction and speed.

Reads the 16 Loghub 2k samples from ``../shared/data/loghub`` next to the repository (or
``$LOGAI_LOGHUB_DIR``) and skips cleanly when they are absent; the data is never copied here.

- **GA** (grouping accuracy, as the Loghub benchmark defines it): a line is correct iff its
  predicted group has exactly the members of its ground-truth group (``EventId`` of
  ``*_structured.csv``). Input is the **whole raw line**, one configuration for all systems.
- **own**: true event kinds that have at least one predicted group made only of their lines.
- **reduction**: tokens of all raw lines / tokens of ``reduce_events(...).render()`` with the
  default budget of 8,000 tokens. Tokens are counted with ``litellm.token_counter`` (gpt-4o)
  when litellm is installed, else with the reducer's conservative estimate.
- **lines/s**: ``group_lines`` on one core (process CPU time, so other load on a shared
  machine does not count), best of three runs, one process.

``--drain3`` adds drain3 (default config, whole raw lines) for comparison.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import modern_corpus
from logai.reduce import group_lines, reduce_events
from logai.reduce.tokens import estimate_tokens
from logai.sources import LogEvent

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "loghub"
BUDGET = 8000


def load(root: Path, system: str) -> tuple[list[str], list[str]]:
    """Raw lines (``\\r`` stripped) and their ground-truth event ids."""
    raw = (root / system / f"{system}_2k.log").read_bytes().decode("utf-8", errors="replace")
    lines = [line.rstrip("\r") for line in raw.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    with (root / system / f"{system}_2k.log_structured.csv").open(encoding="utf-8") as f:
        truth = [row["EventId"] for row in csv.DictReader(f)]
    if len(truth) != len(lines):
        raise SystemExit(f"{system}: {len(lines)} lines but {len(truth)} labels")
    return lines, truth


def grouping_accuracy(predicted: Sequence[object], truth: Sequence[str]) -> tuple[float, int]:
    """Loghub GA, and how many true kinds have a predicted group of their own."""
    members: dict[object, list[int]] = defaultdict(list)
    for index, label in enumerate(predicted):
        members[label].append(index)
    sizes = Counter(truth)
    correct, own = 0, set()
    for indices in members.values():
        kinds = {truth[i] for i in indices}
        if len(kinds) == 1:
            kind = kinds.pop()
            own.add(kind)
            if sizes[kind] == len(indices):
                correct += len(indices)
    return correct / len(truth), len(own)


def ours(lines: list[str]) -> list[int]:
    labels = [0] * len(lines)
    for number, group in enumerate(group_lines(lines)):
        for index in group.line_numbers:
            labels[index] = number
    return labels


def drain3(lines: list[str]) -> list[int]:
    from drain3 import TemplateMiner  # benchmark-only comparison, never a runtime dependency
    from drain3.template_miner_config import TemplateMinerConfig

    miner = TemplateMiner(config=TemplateMinerConfig())
    return [miner.add_log_message(line)["cluster_id"] for line in lines]


def timed(parse: Callable[[list[str]], list[int]], lines: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        parse(lines)
        best = min(best, time.process_time() - start)
    return best


def token_counter() -> tuple[Callable[[str], int], str]:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    try:
        import litellm
    except ImportError:
        return estimate_tokens, "reducer estimate (chars/2)"

    def count(text: str) -> int:
        return int(litellm.token_counter(model="gpt-4o", text=text))

    return count, "litellm.token_counter(model='gpt-4o')"


def run_corpus(
    title: str,
    corpus: dict[str, tuple[list[str], list[str]]],
    count: Callable[[str], int],
    with_drain3: bool,
) -> None:
    """Print one row per system and the averages: GA, own, reduction, speed (and drain3's)."""
    print(title)
    header = f"{'system':14} {'GA':>6} {'groups/true':>11} {'own':>7} {'reduction':>9}"
    header += f" {'lines/s':>10}"
    if with_drain3:
        header += f" | {'drain3 GA':>9} {'groups':>6} {'lines/s':>8}"
    print(header)
    print("-" * len(header))
    scores, drain_scores = [], []
    every_kind = 0
    raw_tokens = rendered_tokens = estimate_raw = estimate_rendered = 0
    total_lines, total_time, drain_time = 0, 0.0, 0.0
    for system, (lines, truth) in corpus.items():
        predicted = ours(lines)
        score, own = grouping_accuracy(predicted, truth)
        seconds = timed(ours, lines)
        base = datetime(2024, 1, 1, tzinfo=UTC)
        events = [
            LogEvent(timestamp=base + timedelta(seconds=i), message=line, group=system)
            for i, line in enumerate(lines)
        ]
        text = reduce_events(events, budget_tokens=BUDGET, count_tokens=count).render()
        raw_text = "\n".join(lines)
        raw, rendered = count(raw_text), count(text)
        raw_tokens += raw
        rendered_tokens += rendered
        estimate_raw += estimate_tokens(raw_text)
        estimate_rendered += estimate_tokens(text)
        scores.append(score)
        total_lines += len(lines)
        total_time += seconds
        true_kinds = len(set(truth))
        row = (
            f"{system:14} {score:6.3f} {len(set(predicted)):>5}/{true_kinds:<5} "
            f"{own:>3}/{true_kinds:<3} {raw / rendered:8.1f}x {len(lines) / seconds:10,.0f}"
        )
        if with_drain3:
            drained = drain3(lines)
            d_score, _ = grouping_accuracy(drained, truth)
            d_seconds = timed(drain3, lines, runs=1)
            drain_scores.append(d_score)
            drain_time += d_seconds
            row += f" | {d_score:9.3f} {len(set(drained)):>6} {len(lines) / d_seconds:8,.0f}"
        print(row, flush=True)
        every_kind += own == true_kinds
    print("-" * len(header))
    print(
        f"{'average':14} {sum(scores) / len(scores):6.3f}   min {min(scores):.3f} "
        f"{'':9}{raw_tokens / rendered_tokens:8.1f}x {total_lines / total_time:10,.0f}"
        + (
            f" | {sum(drain_scores) / len(drain_scores):9.3f} {'':6} "
            f"{total_lines / drain_time:8,.0f}"
            if drain_scores
            else ""
        )
    )
    print(
        f"\nraw tokens {raw_tokens:,} → rendered {rendered_tokens:,}; the estimate says "
        f"{estimate_raw:,} → {estimate_rendered:,} "
        f"({estimate_raw / raw_tokens:.2f}x and {estimate_rendered / rendered_tokens:.2f}x real)"
    )
    print(f"systems where every true event kind has a group of its own: {every_kind}/{len(corpus)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drain3", action="store_true", help="also run drain3 for comparison")
    parser.add_argument("--systems", nargs="*", help="only these Loghub systems")
    parser.add_argument("--no-modern", action="store_true", help="skip the modern-format corpus")
    args = parser.parse_args()
    root = Path(os.environ.get("LOGAI_LOGHUB_DIR", DEFAULT_DIR))
    if not root.is_dir():
        print(f"Loghub data not found at {root} (set LOGAI_LOGHUB_DIR); skipping benchmark.")
        return 0
    systems = args.systems or sorted(p.name for p in root.iterdir() if (p / "README.md").exists())
    count, how = token_counter()
    print(f"tokens counted with {how}; budget {BUDGET:,} tokens per system\n")
    loghub = {system: load(root, system) for system in systems}
    run_corpus("Loghub-2k", loghub, count, args.drain3)
    mixed = [line for lines, _ in loghub.values() for line in lines]
    if not args.no_modern:
        modern = {name: modern_corpus.generate(name) for name in modern_corpus.SYSTEMS}
        print()
        run_corpus("modern formats (benchmarks/modern_corpus.py)", modern, count, args.drain3)
        mixed += [line for lines, _ in modern.values() for line in lines]
    seconds = timed(ours, mixed)
    print(f"\nall systems in one input, {len(mixed):,} lines: {len(mixed) / seconds:,.0f} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
