"""Built-in plugin: registers the LiteLLM provider under the name ``litellm``.

This module is imported on every start of ``logai`` (even ``logai --help``), so it imports
nothing heavy: the provider class, and litellm behind it, are imported only when a provider is
actually created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from logai.hookspecs import hookimpl

if TYPE_CHECKING:
    from logai.config import LogAISettings
    from logai.llm.provider import LLMProvider
    from logai.plugins import RegisterProvider


def create_litellm_provider(settings: LogAISettings) -> LLMProvider:
    """Factory registered with the plugin host; builds a :class:`LiteLLMProvider`."""
    from logai.llm.litellm_provider import LiteLLMProvider

    return LiteLLMProvider(settings)


@hookimpl
def register_llm_providers(register: RegisterProvider) -> None:
    """Offer LiteLLM (Anthropic, OpenAI and every other LiteLLM provider) as ``litellm``."""
    register("litellm", create_litellm_provider)
