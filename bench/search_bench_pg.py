"""The search benchmark on the PostgreSQL backend: the same documents and queries as ``search_bench``.

Run: ``.venv/bin/python bench/run.py search --backend postgresql --pg-url postgresql+psycopg://postgres@127.0.0.1/postgres``
(``make bench`` adds it when ``BENCH_DATABASE_URL`` is set). Each size gets a database of its own, dropped after.

CPU time is the client's (Python: analysis, re-rank, highlights) plus the server backend's for the same work,
read from ``/proc/<pid>/stat`` of the connection's server process (the server must run on this machine; in
clock ticks, so it is reported as a mean per query, not as percentiles).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from portal import create_app
from portal.extensions import db
from portal.search import pg_index, registry, services
from portal.search.backend import BackendQuery
from portal.search.pg_backend import PgBackend
from portal.search.registry import MEMBERS, DocumentType, SearchDocument
from tests.database import run_database_at

_TICK = os.sysconf("SC_CLK_TCK")


def _server_cpu() -> float | None:
    """CPU seconds of this session's server process so far, or None when it is not on this machine."""
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def _measure_queries(backend: PgBackend, queries: list[str]) -> dict[str, float]:
    audiences = frozenset({"public", MEMBERS, "user:1", "unit:3", "role:member"})
    wall = []
    server_before, client_before = _server_cpu(), time.process_time()
    for query in queries:
        words, phrases = services.parse_query(query)
        request = BackendQuery(words=words, phrases=phrases, audiences=audiences, doc_types=("article",), per_page=10)
        started = time.perf_counter()
        backend.search(request)
        wall.append((time.perf_counter() - started) * 1000)
    client = (time.process_time() - client_before) * 1000 / len(queries)
    server_after = _server_cpu()
    server = (server_after - server_before) * 1000 / len(queries) if server_before and server_after else 0.0
    ordered = sorted(wall)
    return {
        "p50_ms": statistics.median(wall),
        "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "cpu_client_ms": client,
        "cpu_server_ms": server,
    }


def _measure_update(url: str, size: int, samples: int = 20) -> tuple[float, bool]:
    """Median ms of a content commit that writes its index row, and whether another connection saw every one
    at once (the next statement after the commit)."""
    store: dict[int, SearchDocument] = {}
    registry.register(
        DocumentType(
            name="article",
            label="Artikel",
            load_all=lambda: iter(()),
            load_by_ids=lambda ids: [store[i] for i in ids if i in store],
            visible_ids=lambda user, ids: set(ids),
        )
    )
    other = create_engine(url)
    times, seen = [], True
    try:
        for n in range(samples):
            doc_id = size + 1 + n
            store[doc_id] = SearchDocument(
                doc_type="article",
                doc_id=doc_id,
                title=f"Dokumen penandaunik{n}x",
                url="/",
                created_at=datetime.now(UTC),
                audience=frozenset({"public"}),
            )
            started = time.perf_counter()
            services.queue("article", doc_id)
            db.session.commit()
            times.append((time.perf_counter() - started) * 1000)
            with other.connect() as conn:
                found = conn.execute(
                    text("SELECT 1 FROM search_documents WHERE tsv @@ CAST(:q AS tsquery)"),
                    {"q": f"'=penandaunik{n}x'"},
                ).first()
            seen = seen and found is not None
    finally:
        other.dispose()
        registry.unregister("article")
    return statistics.median(times), seen


def run_size(url: str, size: int, rounds: int, queries: list[str], documents) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, run_database_at(url) as run:
        app = create_app({"PORTAL_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": run.url, "UPLOAD_DIR": folder})
        with app.app_context():
            db.create_all()
            server_before, client_before = _server_cpu() or 0.0, time.process_time()
            started = time.perf_counter()
            pg_index.rebuild(db.session(), documents(size))
            db.session.commit()
            seconds = time.perf_counter() - started
            cpu = time.process_time() - client_before + (_server_cpu() or 0.0) - server_before
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE search_documents"))
                conn.execute(text("VACUUM ANALYZE search_terms"))
                size_mb = (
                    conn.execute(
                        text(
                            "SELECT pg_total_relation_size('search_documents') + pg_total_relation_size('search_terms')"
                        )
                    ).scalar_one()
                    / 1e6
                )
            backend = PgBackend()
            backend.search(BackendQuery(words=("pelatihan",), phrases=(), audiences=frozenset({MEMBERS})))  # warm
            measured = [_measure_queries(backend, queries) for _ in range(rounds)]
            update_ms, seen = _measure_update(run.url, size)
            db.session.remove()
            db.engine.dispose()
    return {
        "docs": size,
        "rebuild_s": seconds,
        "docs_per_s": size / seconds,
        "rebuild_cpu_s": cpu,
        "size_mb": size_mb,
        **{key: statistics.median(m[key] for m in measured) for key in measured[0]},
        "update_ms": update_ms,
        "visible_at_commit": float(seen),
    }


def report(url: str, sizes: list[int], rounds: int, queries: list[str], documents) -> None:
    print("PostgreSQL backend")
    print(
        f"{'docs':>7} {'rebuild s':>10} {'docs/s':>8} {'cpu s':>7} {'MB':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'cpu/q py':>9} {'cpu/q pg':>9} {'commit ms':>10} {'seen':>5}"
    )
    for size in sizes:
        row = run_size(url, size, rounds, queries, documents)
        print(
            f"{row['docs']:>7} {row['rebuild_s']:>10.1f} {row['docs_per_s']:>8.0f} {row['rebuild_cpu_s']:>7.1f} "
            f"{row['size_mb']:>7.1f} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['cpu_client_ms']:>9.1f} "
            f"{row['cpu_server_ms']:>9.1f} {row['update_ms']:>10.1f} {'yes' if row['visible_at_commit'] else 'NO':>5}",
            flush=True,
        )
