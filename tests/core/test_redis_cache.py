"""Fragment caches across hosts (CACHE_REDIS_URL): two apps on one database and one Redis stand for two hosts.

A change committed through one shows on the other's next render, whatever either kept; the snapshot rule holds
with two connections on SQLite and PostgreSQL; fragments are shared, signed, and bounded.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text, update

from portal.accounts.models import User
from portal.core import fragments
from portal.core.fragment_versions import ALL_TABLES, RedisVersions
from portal.extensions import db
from tests.redis_support import REDIS_URL, delete_matching, redis_client, unique_prefix


@pytest.fixture
def redis_prefix():
    client = redis_client()
    prefix = unique_prefix()
    yield prefix
    delete_matching(client, f"{prefix}*")


@pytest.fixture
def host(make_app, redis_prefix):
    """``host()`` -> another app ("host") on the test database and the test's Redis prefix."""

    def factory(**settings):
        return make_app(CACHE_REDIS_URL=REDIS_URL, FRAGMENT_CACHE_PREFIX=redis_prefix, **settings)

    return factory


def bio_of(user_id: int) -> str | None:
    return db.session.scalar(text("SELECT bio FROM users WHERE id = :id"), {"id": user_id})


def remembered_bio(user_id: int, calls: list[int] | None = None) -> str | None:
    def compute():
        if calls is not None:
            calls.append(1)
        return bio_of(user_id)

    return fragments.remembered("test.bio", user_id, ("users",), compute)


def set_bio(app, user_id: int, bio: str) -> None:
    """A write committed through ``app`` (its engine, its hooks)."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(bio=bio))
        db.session.commit()
        db.session.remove()


def test_the_mode_is_redis_and_rate_limits_count_in_the_same_redis(host):
    first = host()
    with first.app_context():
        assert fragments.mode() == "redis"
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL


def test_a_change_through_one_host_shows_on_the_other_at_once(host, member_client):
    first, second = host(), host()
    user_id = member_client.user.id
    set_bio(first, user_id, "lama")
    first_calls, second_calls = [], []
    with first.test_request_context():
        assert remembered_bio(user_id, first_calls) == "lama"
    with first.test_request_context():
        assert remembered_bio(user_id, first_calls) == "lama"  # from its own memory
    with second.test_request_context():
        assert remembered_bio(user_id, second_calls) == "lama"  # from Redis: rendered once for every host
    assert (len(first_calls), len(second_calls)) == (1, 0)

    set_bio(second, user_id, "baru")  # committed on the second host: the users counter goes up in Redis
    with first.test_request_context():
        assert remembered_bio(user_id, first_calls) == "baru"
    assert len(first_calls) == 2


def test_a_value_read_in_a_snapshot_older_than_the_versions_is_never_kept_for_them(host, member_client):
    """Two connections: the reader's transaction begins (and, on SQLite, its snapshot with its first statement);
    the writer commits and counts the change; then the reader renders. On SQLite it still sees the old row, so
    that must not be kept under the new count; on PostgreSQL (READ COMMITTED) each statement sees the new row."""
    reader, writer = host(), host()
    user_id = member_client.user.id
    set_bio(writer, user_id, "sebelum")
    with reader.test_request_context():
        seen_first = bio_of(user_id)  # the reader's transaction has run a statement
        set_bio(writer, user_id, "sesudah")
        in_transaction = remembered_bio(user_id)
        assert in_transaction == bio_of(user_id)  # consistent with what the reader's own statements see now
        assert seen_first == "sebelum"
        db.session.rollback()
        assert remembered_bio(user_id) == "sesudah"  # a new transaction: the new row, never the old render
    with reader.test_request_context():
        assert remembered_bio(user_id) == "sesudah"
    with writer.test_request_context():
        assert remembered_bio(user_id) == "sesudah"


def test_a_render_in_a_transaction_that_changed_its_tables_is_kept_for_no_one(host, member_client):
    first = host()
    user_id = member_client.user.id
    set_bio(first, user_id, "tetap")
    with first.test_request_context():
        db.session.execute(update(User).where(User.id == user_id).values(bio="belum disimpan"))
        assert remembered_bio(user_id) == "belum disimpan"
        db.session.rollback()
        assert remembered_bio(user_id) == "tetap"


def test_counters_are_incremented_once_per_commit_and_read_in_one_round_trip(host, member_client, redis_prefix):
    first = host()
    client = redis_client()
    with first.app_context():
        versions = first.extensions["portal_fragments"].versions
        assert isinstance(versions, RedisVersions)
        before = versions.fetch()
        set_bio(first, member_client.user.id, "x")
        after = versions.fetch()
    assert int(after["users"].split(".")[1]) == int(before["users"].split(".")[1]) + 1
    assert after["units"] == before["units"] and after[ALL_TABLES] == before[ALL_TABLES]
    assert client.get(f"{redis_prefix}v:users") is not None


def test_a_lost_redis_starts_a_new_epoch_so_no_old_count_is_served_again(host, member_client, redis_prefix):
    first = host()
    user_id = member_client.user.id
    set_bio(first, user_id, "satu")
    with first.test_request_context():
        assert remembered_bio(user_id) == "satu"
    delete_matching(redis_client(), f"{redis_prefix}*")  # Redis restarted without its data
    with first.app_context():  # a write the lost counters cannot tell from the first one
        db.session.execute(update(User).where(User.id == user_id).values(bio="dua"))
        db.session.commit()
    with first.test_request_context():
        assert remembered_bio(user_id) == "dua"


def test_a_fragment_not_signed_by_the_portal_is_ignored(host, member_client, redis_prefix):
    first = host()
    user_id = member_client.user.id
    with first.test_request_context():
        remembered_bio(user_id)
    client = redis_client()
    keys = list(client.scan_iter(match=f"{redis_prefix}f:*"))
    assert keys
    for key in keys:
        client.set(key, b"x" * 32 + b"forged")
    calls: list[int] = []
    with first.test_request_context():
        first.extensions["portal_fragments"].cache.clear()
        remembered_bio(user_id, calls)
    assert calls == [1]


def test_an_unreachable_redis_renders_uncached_and_never_fails_the_page(make_app, member_client, caplog):
    unreachable = make_app(CACHE_REDIS_URL="redis://127.0.0.1:1/0", FRAGMENT_CACHE_PREFIX=unique_prefix())
    calls: list[int] = []
    caplog.set_level(logging.WARNING)
    with unreachable.test_request_context():
        for _ in range(2):
            assert remembered_bio(member_client.user.id, calls) == bio_of(member_client.user.id)
    assert calls == [1, 1]


def test_a_fragment_larger_than_the_item_limit_stays_out_of_redis(host, redis_prefix):
    first = host(FRAGMENT_CACHE_ITEM_BYTES=100)
    with first.test_request_context():
        fragments.remembered("test.big", None, (), lambda: "x" * 1000)
        fragments.remembered("test.small", None, (), lambda: "y")
    assert len(list(redis_client().scan_iter(match=f"{redis_prefix}f:*"))) == 1


def test_a_request_reads_the_versions_of_all_its_renders_in_one_round_trip(host, member_client, monkeypatch):
    first = host()
    versions = first.extensions["portal_fragments"].versions
    round_trips = []
    mget = versions.client.mget
    monkeypatch.setattr(versions.client, "mget", lambda keys: round_trips.append(len(keys)) or mget(keys))
    user_id = member_client.user.id
    with first.test_request_context():
        remembered_bio(user_id)
        fragments.remembered("test.units", None, ("units",), lambda: db.session.scalar(text("SELECT 1 FROM units")))
        fragments.remembered("test.users", 2, ("users",), lambda: 2)
    assert len(round_trips) == 1
    assert round_trips[0] > 20  # every table at once: the renders still to come need no round trip of their own
