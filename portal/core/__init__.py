"""Cross-cutting building blocks: database engine setup, htmx rendering, permissions, pagination, errors."""
