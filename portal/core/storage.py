"""Where uploaded files live: one small interface, a directory backend rooted at ``UPLOAD_ROOT``.

``UPLOAD_ROOT`` (setting and environment variable; default ``instance/uploads``) may be a folder shared by every
app server (an NFS mount): names are random, and a file appears only complete - it is written under a temporary
name in the same folder, flushed to disk and renamed into place (``os.replace`` is atomic on one file system,
NFS included), so another host never reads half a file. Content checks and access checks stay in
``core.uploads`` and in the feature that owns the file; this module only stores bytes under checked names.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app

_SUBDIR = re.compile(r"[a-z0-9_-]+(?:/[a-z0-9_-]+)*")
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z0-9]{2,5}")
_EXTENSION = re.compile(r"[a-z0-9]{2,5}")
_TEMPORARY_PREFIX = ".part-"


class Storage(Protocol):
    """What the portal needs from a file store: write new bytes under a random name, find, delete."""

    def save(self, subdir: str, extension: str, data: bytes) -> str:
        """Store ``data`` under a new random name ``<32 hex>.<extension>`` in ``subdir``; returns the name."""
        ...

    def path(self, subdir: str, stored_name: str) -> Path | None:
        """The local path of a stored file (for ``send_file``), or None for a name that is not one of ours."""
        ...

    def exists(self, subdir: str, stored_name: str) -> bool: ...

    def delete(self, subdir: str, stored_name: str) -> None:
        """Forget the file; no error when it is already gone."""
        ...


class DirectoryStorage:
    """Files under ``root/<subdir>/<random>.<ext>``; ``root`` may be shared between hosts."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def save(self, subdir: str, extension: str, data: bytes) -> str:
        if not _SUBDIR.fullmatch(subdir):
            raise ValueError(f"Invalid upload subdir {subdir!r}")
        if not _EXTENSION.fullmatch(extension):
            raise ValueError(f"Invalid extension {extension!r}")
        folder = self.root / subdir
        folder.mkdir(parents=True, exist_ok=True)
        stored_name = f"{secrets.token_hex(16)}.{extension}"
        descriptor, temporary = tempfile.mkstemp(prefix=_TEMPORARY_PREFIX, dir=folder)
        try:
            with os.fdopen(descriptor, "wb") as target:
                target.write(data)
                target.flush()
                os.fsync(target.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, folder / stored_name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return stored_name

    def path(self, subdir: str, stored_name: str) -> Path | None:
        if not _SUBDIR.fullmatch(subdir) or not _STORED_NAME.fullmatch(stored_name):
            return None
        path = (self.root / subdir / stored_name).resolve()
        return path if path.is_relative_to(self.root) else None

    def exists(self, subdir: str, stored_name: str) -> bool:
        path = self.path(subdir, stored_name)
        return path is not None and path.is_file()

    def delete(self, subdir: str, stored_name: str) -> None:
        path = self.path(subdir, stored_name)
        if path is not None:
            path.unlink(missing_ok=True)


def storage() -> Storage:
    """The current app's file store, rooted at its ``UPLOAD_ROOT`` (built once per root)."""
    root = str(current_app.config["UPLOAD_ROOT"])
    cached: dict[str, DirectoryStorage] = current_app.extensions.setdefault("portal_storage", {})
    if root not in cached:
        cached[root] = DirectoryStorage(root)
    return cached[root]
