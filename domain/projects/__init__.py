"""A project's own settings that the rules depend on (its working hours)."""
