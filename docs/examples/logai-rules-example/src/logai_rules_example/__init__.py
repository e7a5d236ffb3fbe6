"""An example rule pack: ACME customer numbers are personal data and must not reach the LLM."""

from __future__ import annotations

from collections.abc import Callable

from logai import hookimpl
from logai.sanitize import Rule

CUSTOMER_NUMBER = Rule(
    name="acme-customer-number",
    kind="CUSTOMER",
    pattern=r"\bCUST-\d{7}\b",
    description="ACME customer numbers, e.g. CUST-1234567",
)


@hookimpl
def register_sanitizer_rules(register: Callable[[Rule], None]) -> None:
    register(CUSTOMER_NUMBER)
