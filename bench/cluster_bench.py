"""Cluster benchmark: the load benchmark's pages through nginx with one and with two app servers.

Not a test: ``.venv/bin/python bench/run.py cluster [--scale small] [--duration 10] [--repeats 2]``.

1. The cluster of ``bench/cluster.py`` (ports 5740-5742) on a PostgreSQL database of its own, with a Redis server
   of its own on port 5743 (so ``INFO commandstats`` counts this cluster's commands only), filled by
   ``bench/load_data.py`` (``--scale``). App servers run ``bench.load_app:create_bench_app()`` (the bare ceiling
   endpoint included), ``--workers`` sync workers each, ``RATELIMIT_ENABLED=0``; nginx writes no access log.
2. For 1 and then 2 app servers behind nginx (nginx restarted with that upstream list): every page gets a warm-up,
   then ``--repeats`` rounds of wrk (1 thread, ``--connections``) through nginx, the member's session cookie
   sent; the median of the rounds. Redis commands per request: the Redis server's ``commandstats`` total before
   and after each wrk round, divided by the requests wrk made.
3. In-process (Flask test client, the cluster's settings): SQL statements and Redis round trips of the second
   request to each page (a ``before_cursor_execute`` counter; a counter around redis-py's ``execute_command``
   and pipeline ``execute``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.cluster import ROOT, Cluster, ClusterConfig, _stop_group
from bench.load_bench import CEILING, CEILING_PATH, RESULTS, PageResult, fetch, login_cookie, wrk_round

REDIS_PORT = 5743


@contextmanager
def redis_server(port: int, workdir: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed: apt-get install redis-server")
    workdir.mkdir(parents=True, exist_ok=True)
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    command += ["--dir", str(workdir), "--logfile", str(workdir / "redis.log")]
    server = subprocess.Popen(command, start_new_session=True)  # noqa: S603
    import redis

    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        import signal

        _stop_group(server, signal.SIGTERM)


def redis_commands(url: str) -> int:
    import redis

    stats = redis.Redis.from_url(url).info("commandstats")
    return sum(int(entry["calls"]) for name, entry in stats.items() if name not in ("cmdstat_info",))


# ---------------------------------------------------------------- data and in-process counts


def _app(cluster: Cluster):
    """An app with the cluster's settings, in this process (data generation, statement and Redis counts)."""
    env = cluster.env(1)
    for key in ("CACHE_REDIS_URL", "RATELIMIT_STORAGE_URI", "PORTAL_HOSTS", "FRAGMENT_CACHE_PREFIX", "UPLOAD_ROOT"):
        os.environ[key] = env[key]
    os.environ["PORTAL_INSTANCE_PATH"] = str(cluster.config.workdir / "bench-process")
    from portal import create_app

    return create_app(
        {
            "PORTAL_CONFIG": "production",
            "SQLALCHEMY_DATABASE_URI": cluster.database_url,
            "SECRET_KEY": cluster.config.secret_key,
            "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"],
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
        }
    )


class RedisCounter:
    """Counts redis-py round trips and commands made in this process (a command, or one pipeline)."""

    def __init__(self) -> None:
        self.round_trips = 0
        self.commands = 0

    @contextmanager
    def installed(self) -> Iterator[RedisCounter]:
        import redis
        from redis.client import Pipeline

        plain, pipelined = redis.Redis.execute_command, Pipeline.execute
        counter = self

        def execute_command(client: Any, *args: Any, **options: Any) -> Any:
            counter.round_trips += 1
            counter.commands += 1
            return plain(client, *args, **options)

        def execute(pipeline: Any, *args: Any, **options: Any) -> Any:
            counter.round_trips += 1
            counter.commands += len(pipeline.command_stack)
            return pipelined(pipeline, *args, **options)

        redis.Redis.execute_command = execute_command  # type: ignore[method-assign]
        Pipeline.execute = execute  # type: ignore[method-assign]
        try:
            yield self
        finally:
            redis.Redis.execute_command = plain  # type: ignore[method-assign]
            Pipeline.execute = pipelined  # type: ignore[method-assign]


def count_in_process(cluster: Cluster, pages: list[PageResult], identifier: str, password: str) -> dict[str, dict]:
    from sqlalchemy import event

    from bench.load_bench import _CSRF
    from portal.extensions import db

    app = _app(cluster)
    client = app.test_client()
    token = _CSRF.search(client.get("/masuk").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    client.post("/masuk", data={"identifier": identifier, "password": password, "csrf_token": token})
    statements = {"n": 0}

    def count(*_args: Any) -> None:
        statements["n"] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    counts: dict[str, dict] = {}
    counter = RedisCounter()
    with counter.installed():
        for page in pages:
            client.get(page.path)
            statements["n"], counter.round_trips, counter.commands = 0, 0, 0
            client.get(page.path)
            page.queries = statements["n"]
            counts[page.name] = {"redis_round_trips": counter.round_trips, "redis_commands": counter.commands}
    with app.app_context():
        db.engine.dispose()
    return counts


# ---------------------------------------------------------------- load through nginx


def measure(cluster: Cluster, servers: list[int], pages: list[PageResult], cookie: str, args) -> dict[str, dict]:
    cluster.start_nginx(servers)
    for page in pages:
        page.status, page.html_bytes = fetch(cluster.url, page.path, cookie)
        if page.status != 200:
            raise RuntimeError(f"{page.name} ({page.path}) answered {page.status} through nginx")
        wrk_round(cluster.url, page.path, cookie, 2, args.connections)
    per_page: dict[str, dict] = {page.name: {"rounds": [], "redis_per_request": []} for page in pages}
    for round_number in range(1, args.repeats + 1):
        for page in pages:
            before = redis_commands(cluster.redis_url)
            result = wrk_round(cluster.url, page.path, cookie, args.duration, args.connections)
            after = redis_commands(cluster.redis_url)
            per_page[page.name]["rounds"].append(result)
            per_page[page.name]["redis_per_request"].append((after - before) / max(result["requests"], 1))
            print(
                f"  {len(servers)} server(s), round {round_number}, {page.name}: {result['rps']:,.0f} req/s", flush=True
            )
    return per_page


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report(results: dict[int, dict[str, dict]], pages: list[PageResult], counts: dict[str, dict], args, load) -> str:
    one, two = results[1], results[2]
    lines = [
        f"Cluster benchmark, PostgreSQL, scale {args.scale}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"nginx (1 worker) round robin → gunicorn sync workers: {args.workers} on one server, "
        f"{max(1, args.workers // 2) if args.same_workers else args.workers} on each of two; wrk 1 thread, "
        f"{args.connections} connections, {args.repeats} × {args.duration} s per page (median); 1-min load "
        f"average {load[0]:.1f} before, {load[-1]:.1f} after ({os.cpu_count()} CPUs)",
        "",
        "| page | 1 server req/s | p95 ms | 2 servers req/s | p95 ms | ratio | SQL/request | Redis round trips "
        "(in-process) | Redis commands/request (server) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        rps1 = _median([r["rps"] for r in one[page.name]["rounds"]])
        rps2 = _median([r["rps"] for r in two[page.name]["rounds"]])
        p95_1 = _median([r["p95"] for r in one[page.name]["rounds"]])
        p95_2 = _median([r["p95"] for r in two[page.name]["rounds"]])
        redis_server_calls = _median(two[page.name]["redis_per_request"])
        in_process = counts.get(page.name, {})
        sql = "–" if page.name == CEILING else str(page.queries)
        trips = "–" if page.name == CEILING else str(in_process.get("redis_round_trips", 0))
        lines.append(
            f"| {page.name} | {rps1:,.0f} | {p95_1:.1f} | {rps2:,.0f} | {p95_2:.1f} | "
            f"{rps2 / rps1 if rps1 else 0:.2f} | {sql} | {trips} | {redis_server_calls:.2f} |"
        )
    errors = [
        f"{servers} server(s) {name}: non-2xx or socket errors"
        for servers, per_page in results.items()
        for name, data in per_page.items()
        if any(r["non2xx"] or r["socket_errors"] for r in data["rounds"])
    ]
    lines += ["", *(f"- {error}" for error in errors)] if errors else ["", "No errors under load."]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> None:
    from bench.load_data import BENCH_NIP, BENCH_PASSWORD, generate, sample_urls

    workdir = RESULTS / "cluster"
    with redis_server(REDIS_PORT, RESULTS / "cluster-redis") as redis_url:
        config = ClusterConfig(
            database="bench_cluster",
            workdir=workdir,
            workers=args.workers,
            demo=False,
            access_log=False,
            app_spec="bench.load_app:create_bench_app()",
            redis_server=redis_url,
            redis_db=0,
            extra_env={"RATELIMIT_ENABLED": "0"},
        )
        cluster = Cluster(config)
        try:
            cluster.prepare()
            print(f"Generating the {args.scale} data set ...", flush=True)
            app = _app(cluster)
            with app.app_context():
                generate(args.scale)
                urls = sample_urls()
                from portal.extensions import db

                db.session.remove()
                db.engine.dispose()
            wanted = set(args.pages.split(",")) if args.pages else None
            pages = [PageResult(CEILING, CEILING_PATH)] + [
                PageResult(name, path) for name, path in urls.items() if wanted is None or name in wanted
            ]
            counts = count_in_process(cluster, pages[1:], BENCH_NIP, BENCH_PASSWORD)
            cluster.start_app(1)
            cookie = login_cookie(cluster.app_url(1), BENCH_NIP, BENCH_PASSWORD)
            load = [os.getloadavg()[0]]
            results = {1: measure(cluster, [1], pages, cookie, args)}
            if args.same_workers:  # two servers with half the workers each: the same number of processes
                cluster.stop_app(1)
                cluster.config.workers = max(1, args.workers // 2)
                cluster.start_app(1)
            cluster.start_app(2)
            results[2] = measure(cluster, [1, 2], pages, cookie, args)
            load.append(os.getloadavg()[0])
        finally:
            cluster.stop()
            cluster.drop_database()
    text = report(results, pages, counts, args, load)
    print("\n" + text)
    stem = RESULTS / f"cluster-{args.scale}"
    stem.with_suffix(".md").write_text(text)
    stem.with_suffix(".json").write_text(json.dumps({"results": results, "counts": counts}, indent=2))


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py cluster", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "city"), default="small")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and round")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument(
        "--same-workers", action="store_true", help="two servers get half the workers each (as many processes as one)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    run(args)


if __name__ == "__main__":
    main()
