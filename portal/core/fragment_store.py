"""Where rendered fragments are kept: a per-process LRU (:class:`FragmentCache`), and with ``CACHE_REDIS_URL``
:class:`RedisStore`, shared by every worker of every host, with the LRU in front of it.

Both are keyed by the full key of a fragment, table versions included, so a change (a new version) makes the
old entries unreachable in both; they then age out (LRU, ``FRAGMENT_CACHE_SECONDS``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

log = logging.getLogger(__name__)


class FragmentCache:
    """Least-recently-used HTML, bounded by entries and bytes, each entry good for ``seconds``."""

    def __init__(self, size: int, max_bytes: int, seconds: float) -> None:
        self.size, self.max_bytes, self.seconds = size, max_bytes, seconds
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        if _size(value) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (time.monotonic() + self.seconds, value)
            self._bytes += _size(value)
            while len(self._entries) > self.size or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: Hashable) -> None:
        _, value = self._entries.pop(key)
        self._bytes -= _size(value)


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)  # HTML by its length
    if isinstance(value, tuple):
        return sum(_size(part) for part in value) + 16
    return 64  # a count, a date


def canonical(key: Any) -> str:
    """The same text for the same key in every process (sets sorted; no hash-seeded order, no ids)."""
    if isinstance(key, tuple | list):
        return "(" + ",".join(canonical(part) for part in key) + ")"
    if isinstance(key, set | frozenset):
        return "{" + ",".join(sorted(canonical(part) for part in key)) + "}"
    if isinstance(key, dict):
        return "{" + ",".join(sorted(f"{canonical(k)}:{canonical(v)}" for k, v in key.items())) + "}"
    return f"{type(key).__name__}:{key!r}"


class RedisStore:
    """Fragments in Redis under ``<prefix>f:<sha256 of the key>``, each for ``seconds`` (``SET EX``), at most
    ``max_item_bytes`` each. Values are pickled and signed with the app's secret key: a value not signed by this
    portal (written by anyone else who reaches Redis) is never unpickled."""

    def __init__(self, client: Any, prefix: str, seconds: float, max_item_bytes: int, secret: str) -> None:
        self.client, self.prefix = client, prefix
        self.seconds, self.max_item_bytes = max(1, int(seconds)), max_item_bytes
        self._secret = hashlib.sha256(f"portal-fragments:{secret}".encode()).digest()

    def _key(self, key: Hashable) -> str:
        return f"{self.prefix}f:{hashlib.sha256(canonical(key).encode()).hexdigest()}"

    def _sign(self, data: bytes) -> bytes:
        return hmac.new(self._secret, data, hashlib.sha256).digest()

    def get(self, key: Hashable) -> Any:
        try:
            found = self.client.get(self._key(key))
        except Exception:  # noqa: BLE001 - Redis unreachable: render instead
            log.warning("cannot read a fragment from Redis", exc_info=True)
            return None
        if found is None or len(found) < 32:
            return None
        signature, data = found[:32], found[32:]
        if not hmac.compare_digest(signature, self._sign(data)):
            log.error("a fragment in Redis has no valid signature: ignored")
            return None
        return pickle.loads(data)  # noqa: S301 - signed by this portal above

    def put(self, key: Hashable, value: Any) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_item_bytes:
            return
        try:
            self.client.set(self._key(key), self._sign(data) + data, ex=self.seconds)
        except Exception:  # noqa: BLE001
            log.warning("cannot store a fragment in Redis", exc_info=True)

    def clear(self) -> None:
        """Every fragment under this prefix (tests; never needed for correctness)."""
        keys = list(self.client.scan_iter(match=f"{self.prefix}f:*", count=1000))
        for start in range(0, len(keys), 500):
            self.client.delete(*keys[start : start + 500])
