"""Audit log of administrative and moderation actions: who did what, to what, when."""
