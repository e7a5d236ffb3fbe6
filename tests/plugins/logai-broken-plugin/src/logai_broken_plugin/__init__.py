"""Raises on import, like a plugin built against an API that no longer exists."""

raise ImportError("cannot import name 'OldThing' from 'logai' (this plugin is broken on purpose)")
