"""Bulk import of knowledge content (``flask content import FILE.jsonl``), shared by every content feature.

A feature registers one handler per record ``type`` with :func:`portal.content.services.register_importer`;
the command runs each line in its own savepoint, so a bad line writes nothing and the good ones stay.
"""
