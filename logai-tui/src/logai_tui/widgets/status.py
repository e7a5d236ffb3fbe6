"""The one-line status bar: what is working, which model, which AWS account, how the cache is.

The spinner is driven by a timer only while an answer runs, and not at all when the app was
started with ``frozen=True`` (snapshot tests), so two screenshots of the same state are
identical.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SPINNER_INTERVAL = 0.08


class StatusBar(Static):
    """Provider and model · AWS profile and region (or the targets) · cache · tokens and cost ·
    activity."""

    provider: reactive[str] = reactive("")
    model: reactive[str] = reactive("")
    aws_profile: reactive[str] = reactive("")
    aws_region: reactive[str] = reactive("")
    aws_account: reactive[str] = reactive("")
    """The AWS account the credentials belong to, once the data source has learnt it."""
    aws_targets: reactive[str] = reactive("")
    """The names of the AWS targets (``LOGAI_AWS_TARGETS``), when several are configured:
    they replace the one profile and region."""
    cache: reactive[str] = reactive("")
    usage: reactive[str] = reactive("")
    """Tokens and cost of the last question and of the chat; empty before the first call."""
    activity: reactive[str] = reactive("")
    """What is happening ("thinking", "fetch_logs"); empty when idle."""
    frame: reactive[int] = reactive(0)

    def __init__(self, *, spin: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spin = spin
        self._timer: Timer | None = None

    def watch_activity(self, activity: str) -> None:
        """Run the spinner timer only while something is happening."""
        self.set_class(bool(activity), "-busy")
        if activity and self._spin and self._timer is None:
            self._timer = self.set_interval(SPINNER_INTERVAL, self._advance)
        elif not activity and self._timer is not None:
            self._timer.stop()
            self._timer = None
            self.frame = 0

    def _advance(self) -> None:
        self.frame = (self.frame + 1) % len(SPINNER_FRAMES)

    def render(self) -> Content:
        """Assemble the segments; literal values are never parsed as markup."""
        parts: list[Content | tuple[str, str] | str] = []
        if self.activity:
            parts += [(f" {SPINNER_FRAMES[self.frame]} {self.activity}… ", "bold $accent"), "│"]
        else:
            parts += [(" ● ready ", "$success"), "│"]
        # The model string usually names its provider ("anthropic/claude-…"): say it once.
        if self.provider and not self.model.startswith(f"{self.provider}/"):
            parts += [" ", (self.provider, "bold"), " ·"]
        parts += [" ", (self.model or "–", "bold"), " │ "]
        if self.aws_targets:
            parts += ["aws ", (self.aws_targets, "bold"), " │ "]
        else:
            parts += ["aws ", (self.aws_profile or "default", "bold"), " · "]
            if self.aws_account:
                parts += [self.aws_account, " · "]
            parts += [self.aws_region or "no region", " │ "]
        parts += [self.cache or "cache –", " "]
        if self.usage:
            parts += ["│ ", self.usage, " "]
        return Content.assemble(*parts)
