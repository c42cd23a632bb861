"""The local Redis for tests of the several-hosts mode (``CACHE_REDIS_URL``).

``PORTAL_TEST_REDIS_URL`` names it (default redis://127.0.0.1:6379/0). Tests skip, saying why, only when it does
not answer; with ``PORTAL_REDIS_REQUIRED=1`` (CI) an unreachable Redis fails them instead. Every test works
under a key prefix (fragments) or a client address (rate limits) of its own and removes what it wrote.
"""

from __future__ import annotations

import os
import secrets

import pytest

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis at {REDIS_URL} unreachable: {error}"
        if os.environ.get("PORTAL_REDIS_REQUIRED") == "1":
            pytest.fail(f"{reason} (PORTAL_REDIS_REQUIRED=1)", pytrace=False)
        pytest.skip(reason)
    return client


def unique_prefix() -> str:
    return f"portal-test-{secrets.token_hex(6)}:"


def delete_matching(client, pattern: str) -> None:
    keys = list(client.scan_iter(match=pattern, count=1000))
    if keys:
        client.delete(*keys)
