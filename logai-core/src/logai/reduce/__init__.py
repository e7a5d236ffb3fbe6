"""Fit any volume of logs into the LLM's context: template grouping with counts.

``group_lines`` turns raw lines into templates; ``reduce_events`` decides whether a tool result
fits the token budget verbatim and, when not, renders templates with counts, first/last times
and samples, errors and warnings first. ``count_tokens`` counts with a real tokenizer when one is
loaded and a calibrated, conservative estimate otherwise. See ``docs/reduction.md``.
"""

from __future__ import annotations

from logai.reduce.grouping import TemplateGroup, group_lines
from logai.reduce.reduction import Reduction, reduce_events
from logai.reduce.tokens import count_tokens

__all__ = ["Reduction", "TemplateGroup", "count_tokens", "group_lines", "reduce_events"]
