"""Tests of the PII and secret sanitizer (issue 3)."""
