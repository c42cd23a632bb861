"""Accounts: registration with NIP, login, password reset, profiles, roles."""
