"""What every demo step shares."""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash


class DemoContext:
    """The demo password, hashed at most once per run (a scrypt hash takes ~0.1 s on purpose)."""

    def __init__(self, password: str):
        self.password = password
        self._hash: str | None = None
        self._is_demo_hash: dict[str, bool] = {}

    @property
    def password_hash(self) -> str:
        if self._hash is None:
            self._hash = generate_password_hash(self.password)
        return self._hash

    def is_demo_password(self, stored_hash: str) -> bool:
        """Whether ``stored_hash`` is a hash of the demo password.

        Memoised per hash: accounts created by one run share their hash, so a re-run checks it once instead
        of once per account.
        """
        if stored_hash not in self._is_demo_hash:
            self._is_demo_hash[stored_hash] = check_password_hash(stored_hash, self.password)
        return self._is_demo_hash[stored_hash]
