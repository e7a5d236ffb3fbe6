"""Test doubles that speak real protocols: a fake LLM server (``fake_llm``) and its fixtures."""
