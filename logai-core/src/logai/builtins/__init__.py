"""Core's built-in plugins, loaded through the same plugin host as installed ones."""
