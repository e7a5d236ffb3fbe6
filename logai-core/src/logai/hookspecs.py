"""The hooks a LogAI plugin can implement, and the markers to implement them with.

The specifications are defined in :mod:`logai.plugins`, beside the host that calls them (they
name the :class:`~logai.plugins.FrontendContext` it hands to frontends, which holds the host);
this module keeps the import path plugins and older code use. Plugin authors need only
``from logai import hookimpl``.
"""

from __future__ import annotations

from logai.plugins import (
    HOOK_NAMES,
    PROJECT_NAME,
    HookSpecs,
    RegisterDataSource,
    RegisterFrontend,
    RegisterProvider,
    RegisterRule,
    RegisterSettings,
    RegisterTool,
    hookimpl,
    hookspec,
)

register_data_sources = HookSpecs.register_data_sources
register_llm_providers = HookSpecs.register_llm_providers
register_sanitizer_rules = HookSpecs.register_sanitizer_rules
register_frontends = HookSpecs.register_frontends
register_tools = HookSpecs.register_tools
register_commands = HookSpecs.register_commands
register_settings = HookSpecs.register_settings

__all__ = [
    "HOOK_NAMES",
    "PROJECT_NAME",
    "HookSpecs",
    "RegisterDataSource",
    "RegisterFrontend",
    "RegisterProvider",
    "RegisterRule",
    "RegisterSettings",
    "RegisterTool",
    "hookimpl",
    "hookspec",
    "register_commands",
    "register_data_sources",
    "register_frontends",
    "register_llm_providers",
    "register_sanitizer_rules",
    "register_settings",
    "register_tools",
]
