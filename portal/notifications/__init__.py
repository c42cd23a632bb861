"""In-app notifications (and optional email) that every feature sends through :func:`services.notify`."""
