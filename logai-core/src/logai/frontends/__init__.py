"""Frontends that ship with core: the plain line-based chat and the ``logai ask`` renderer."""
