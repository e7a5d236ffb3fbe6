"""A complete sanitizer rule pack: Acme's employee IDs (``EMP-123456``) become ``<EMPLOYEE_ID_1>``.

This is the example ``docs/sanitization.md`` points at. A rule pack is a module with one hook
implementation; the ``logai`` entry point in ``pyproject.toml`` makes LogAI load it.
"""

from __future__ import annotations

from collections.abc import Callable

from logai import hookimpl
from logai.sanitize import Rule

EMPLOYEE_ID = Rule(
    name="employee_id",
    kind="EMPLOYEE_ID",
    # The prefix or a word character must not be glued on: "XEMP-123456" is something else.
    pattern=r"(?<![A-Za-z0-9])EMP-[0-9]{6}(?![0-9])",
    description="Acme employee IDs such as EMP-123456.",
    # The rule only runs on lines where this occurs (case-insensitive; any digit matches 0).
    hints=("EMP-000000",),
    # A match starts exactly where the hint does: try the pattern there, do not scan.
    reach=0,
    example="badge swipe by EMP-004211 at door 3",
)


@hookimpl
def register_sanitizer_rules(register: Callable[[Rule], None]) -> None:
    register(EMPLOYEE_ID)
