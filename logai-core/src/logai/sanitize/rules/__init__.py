"""LogAI's default rule pack: personal data, credentials by context, credentials by format.

Imported only when a sanitizer is built (``import logai.sanitize`` stays cheap); the built-in
plugin :mod:`logai.builtins.default_rules` registers these through the same hook a third-party
rule pack uses.
"""

from __future__ import annotations

from logai.sanitize.rule import Rule
from logai.sanitize.rules.chatops import chatops_rules
from logai.sanitize.rules.commands import command_rules
from logai.sanitize.rules.connections import connection_rules
from logai.sanitize.rules.datastores import datastore_rules
from logai.sanitize.rules.devices import device_rules
from logai.sanitize.rules.encoded import encoded_rules
from logai.sanitize.rules.hostnames import hostname_rules
from logai.sanitize.rules.identifiers import identifier_rules
from logai.sanitize.rules.oauth import oauth_rules
from logai.sanitize.rules.pii import pii_rules
from logai.sanitize.rules.plans import plan_rules
from logai.sanitize.rules.secrets import secret_rules
from logai.sanitize.rules.sessions import session_rules
from logai.sanitize.rules.tokens import token_rules
from logai.sanitize.rules.vendors import vendor_rules

__all__ = ["default_rules"]


def default_rules() -> list[Rule]:
    """Every rule of the default pack: secrets first, then personal data."""
    return [
        *secret_rules(),
        *token_rules(),
        *vendor_rules(),
        *datastore_rules(),
        *command_rules(),
        *plan_rules(),
        *oauth_rules(),
        *connection_rules(),
        *chatops_rules(),
        *session_rules(),
        *pii_rules(),
        *hostname_rules(),
        *identifier_rules(),
        *device_rules(),
        *encoded_rules(),
    ]
