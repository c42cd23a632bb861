"""Load benchmark: the main pages under gunicorn at 32 connections, logged in, against a bare endpoint.

Not a test: ``make bench`` or ``.venv/bin/python bench/run.py load --db sqlite|postgres --scale small|city``.

1. Data: bench/load_data.py fills a private database (SQLite under bench/results/, or a PostgreSQL database
   created for the run and dropped afterwards) and builds the search index. A SQLite data set is reused by
   later runs of the same scale (``--regenerate`` makes it again).
2. Server: gunicorn, ``--workers 2 --worker-class sync`` (on 2 cores, gthread gave no more throughput and a
   worse p99: docs/measured-pitfalls.md), PORTAL_CONFIG=production with a generated SECRET_KEY,
   SESSION_COOKIE_SECURE=0 (plain HTTP on loopback), RATELIMIT_ENABLED=0. bench/load_app.py adds
   ``/_bench/bare``, the ceiling, to this server only.
3. Load: wrk (1 thread, 32 connections) with bench/lua/member.lua, which sends the session cookie of a member
   who logged in once through the login form. Every page: a short warm-up, then ``--repeats`` rounds of
   ``--duration`` seconds, pages interleaved; the table shows the median of the rounds.
4. In-process, through the Flask test client on the same database: SQL statements per request (a
   ``before_cursor_execute`` counter, second request, so once-a-day writes such as view counts are not
   counted) and the time the app spends per request.
"""

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA_SCRIPT = ROOT / "bench" / "lua" / "member.lua"
VENV_BIN = Path(sys.executable).parent
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
CEILING = "bare (ceiling)"
CEILING_PATH = "/_bench/bare"
WARM_UP_SECONDS = 2
# Targets from issue 16: every main page ≥ 20 % of the ceiling, home and the lists ≥ 30 %, the heavy learning
# record ≥ 15 %; p95 ≤ 150 ms.
MIN_CEILING_SHARE = 0.20
CEILING_SHARES = {
    "home": 0.30,
    "article list": 0.30,
    "article list, 90% deep": 0.30,
    "workshop list": 0.30,
    "learning record": 0.15,
}
MAX_P95_MS = 150.0
DEEP_PAGE_TOLERANCE = 1.15  # "no slower than page 1", within the run-to-run noise measured here
QUERY_BUDGET = 12  # SQL statements per page view; a page above it has an N+1 or per-request work to move
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_RESULT = re.compile(r"BENCH_RESULT (.*)")


@dataclass
class PageResult:
    name: str
    path: str
    status: int = 0
    html_bytes: int = 0
    queries: int = 0
    app_ms: float = 0.0
    rounds: list[dict[str, float]] = field(default_factory=list)
    cpu_ms: float = 0.0  # CPU time of the app per request, in-process (steadier than wall time on a shared VM)

    def median(self, key: str) -> float:
        return statistics.median(r[key] for r in self.rounds) if self.rounds else 0.0


# ---------------------------------------------------------------- database and data


@dataclass
class Target:
    db: str
    scale: str
    workdir: Path
    database_url: str | None  # None: SQLite in the instance folder

    @property
    def instance(self) -> Path:
        return self.workdir / "instance"

    @property
    def env(self) -> dict[str, str]:
        env = {"PORTAL_INSTANCE_PATH": str(self.instance), "PORTAL_CONFIG": "production"}
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env


def _pg_database(scale: str, suffix: str = "") -> str:
    return f"bench_load_{scale}{suffix}"


def _pg_tool(tool: str, *args: str, check: bool = True) -> None:
    """createdb/dropdb against the local server, as the project's docs use them."""
    path = shutil.which(tool)
    if path is None:
        raise SystemExit(f"{tool} is not installed: apt-get install postgresql-client")
    subprocess.run([path, "-h", "127.0.0.1", "-U", "postgres", *args], check=check)  # noqa: S603 - fixed tools


@contextmanager
def prepared(
    db_name: str, scale: str, regenerate: bool, keep_postgres: bool = False, suffix: str = ""
) -> Iterator[Target]:
    """``keep_postgres``: use the PostgreSQL database already there (restored from a dump of an earlier run, with
    that run's results folder and search index) and leave it afterwards: a city data set takes 80 s to 25 min
    to make, depending on the machine's load."""
    workdir = RESULTS / f"load-{db_name}-{scale}{suffix}"
    database_url = None
    if db_name == "postgres":
        database = _pg_database(scale, suffix)
        database_url = f"{PG_SERVER}/{database}"
        if keep_postgres:
            regenerate = False
        else:
            _pg_tool("dropdb", "--force", "--if-exists", database)
            _pg_tool("createdb", database)
            regenerate = True
    target = Target(db_name, scale, workdir, database_url)
    try:
        marker = workdir / "generated.json"
        if regenerate or not marker.exists():
            shutil.rmtree(workdir, ignore_errors=True)
            target.instance.mkdir(parents=True)
            _generate(target, marker)
        else:
            print(f"Reusing the {scale} data set in {workdir} (--regenerate to make it again).")
            _reindex_if_search_changed(target, marker)
        yield target
    finally:
        if db_name == "postgres" and not keep_postgres:
            _pg_tool("dropdb", "--force", "--if-exists", _pg_database(scale, suffix), check=False)


def _app(target: Target, secret_key: str):
    os.environ.update(target.env, SECRET_KEY=secret_key, SESSION_COOKIE_SECURE="0", RATELIMIT_ENABLED="0")
    from portal import create_app

    return create_app(
        {
            "PORTAL_CONFIG": "production",
            "SQLALCHEMY_DATABASE_URI": target.database_url,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": secret_key,
        }
    )


def _search_code_digest() -> str:
    """Changes whenever the search code (schema, analysis, documents) changes: a kept index is then stale."""
    files = sorted((ROOT / "portal").glob("search/*.py")) + sorted((ROOT / "portal").glob("*/search.py"))
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()


def _reindex_if_search_changed(target: Target, marker: Path) -> None:
    generated = json.loads(marker.read_text())
    if generated.get("search_digest") == _search_code_digest():
        return
    print("The search code changed since the index was built: rebuilding the index ...", flush=True)
    from portal.search import services as search

    with _app(target, secrets.token_urlsafe(48)).app_context():
        search.rebuild(procs=2)
    generated["search_digest"] = _search_code_digest()
    marker.write_text(json.dumps(generated))


def _generate(target: Target, marker: Path) -> None:
    from bench.load_data import generate

    print(f"Generating the {target.scale} data set on {target.db} ...", flush=True)
    started = time.perf_counter()
    app = _app(target, secrets.token_urlsafe(48))
    with app.app_context():
        generated = generate(target.scale)
    total = round(time.perf_counter() - started, 1)
    print(f"Data set ready in {total} s.", flush=True)
    summary = {"counts": generated.counts, "seconds": generated.seconds, "total_s": total}
    marker.write_text(json.dumps({**summary, "search_digest": _search_code_digest()}))


# ---------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    startup_s: float  # process start → first answer of the bare endpoint

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (the children of gunicorn's master), from /proc."""
        found = []
        for pid in _children(self.process.pid):
            with suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        found.append(round(int(line.split()[1]) / 1024, 1))
        return found


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found += [int(child) for child in children.read().split()]
    return found


@contextmanager
def gunicorn(target: Target, secret_key: str, workers: int, port: int = 0) -> Iterator[Server]:
    port = port or _free_port()
    env = {
        **os.environ,
        **target.env,
        "SECRET_KEY": secret_key,
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
        "MAIL_BACKEND": "log",
    }
    command = [
        str(VENV_BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--log-level",
        "warning",
        "bench.load_app:create_bench_app()",
    ]
    log = (target.workdir / "gunicorn.log").open("w")
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield Server(base, server, round(time.perf_counter() - started, 2))
    finally:
        _stop(server)
        log.close()


def _stop(server: subprocess.Popen) -> None:
    """End the server's own process group (master and workers), whatever state it is in."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, None)):
        with suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see gunicorn.log in the results folder")
        try:
            with urllib.request.urlopen(base + CEILING_PATH, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


# ---------------------------------------------------------------- logging in and checking pages


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def login_cookie(base: str, identifier: str, password: str) -> str:
    """Log in through the real form once; returns the session cookie as "name=value" for wrk."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(base + "/masuk") as response:
        token = _CSRF.search(response.read().decode()).group(1)
    form = urllib.parse.urlencode({"identifier": identifier, "password": password, "csrf_token": token}).encode()
    try:
        opener.open(base + "/masuk", data=form)
    except urllib.error.HTTPError as redirect:  # 302 to the next page: logged in
        if redirect.code != 302:
            raise
    cookies = [f"{cookie.name}={cookie.value}" for cookie in jar if cookie.name == "session"]
    if not cookies:
        raise RuntimeError("Login failed: no session cookie")
    return cookies[0]


def fetch(base: str, path: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})  # noqa: S310 - loopback
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


# ---------------------------------------------------------------- wrk


def wrk_round(base: str, path: str, cookie: str, seconds: int, connections: int) -> dict[str, float]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(LUA_SCRIPT)]
    command.append(base + path)
    output = subprocess.run(  # noqa: S603
        command, env={**os.environ, "BENCH_COOKIE": cookie}, capture_output=True, text=True, check=True
    ).stdout
    match = _RESULT.search(output)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{output}")
    _drain(base)
    return {key: float(value) for key, value in (pair.split("=") for pair in match.group(1).split())}


def _drain(base: str) -> None:
    """Wait until the workers have finished what wrk left queued, so the next page starts on idle workers."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with urllib.request.urlopen(base + CEILING_PATH, timeout=120):  # noqa: S310 - loopback
            pass
        if time.perf_counter() - started < 0.02:
            return


# ---------------------------------------------------------------- in-process: queries and app time


def measure_in_process(target: Target, secret_key: str, pages: list[PageResult], identifier: str, password: str):
    from sqlalchemy import event

    from portal.extensions import db

    app = _app(target, secret_key)
    client = app.test_client()
    page = client.get("/masuk").get_data(as_text=True)
    token = _CSRF.search(page).group(1)
    client.post("/masuk", data={"identifier": identifier, "password": password, "csrf_token": token})
    counter = {"n": 0}

    def count(*_args: Any) -> None:
        counter["n"] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    for result in pages:
        client.get(result.path)  # the first visit may write (view count, read mark): the next ones do not
        counter["n"] = 0
        client.get(result.path)
        result.queries = counter["n"]
        timings, cpu = [], []
        for _ in range(7):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(result.path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        result.app_ms = round(statistics.median(timings), 1)
        result.cpu_ms = round(statistics.median(cpu), 1)


# ---------------------------------------------------------------- report


def _row(result: PageResult, ceiling_rps: float) -> str:
    rps = result.median("rps")
    share = rps / ceiling_rps if ceiling_rps else 0
    queries = "–" if result.name == CEILING else str(result.queries)
    return (
        f"| {result.name} | {rps:,.0f} | {share:.0%} | {result.median('p50'):.1f} | {result.median('p95'):.1f} | "
        f"{result.median('p99'):.1f} | {queries} | {result.app_ms:.1f} | {result.cpu_ms:.1f} | {result.html_bytes:,} |"
    )


def misses(results: list[PageResult]) -> list[str]:
    ceiling = next(r for r in results if r.name == CEILING).median("rps")
    by_name = {r.name: r for r in results}
    found = []
    for result in results:
        if result.name == CEILING:
            continue
        share = CEILING_SHARES.get(result.name, MIN_CEILING_SHARE)
        if result.median("rps") < share * ceiling:
            found.append(f"{result.name}: {result.median('rps') / ceiling:.0%} of the ceiling (target {share:.0%})")
        if result.median("p95") > MAX_P95_MS:
            found.append(f"{result.name}: p95 {result.median('p95'):.0f} ms (target ≤ {MAX_P95_MS:.0f} ms)")
        if result.queries > QUERY_BUDGET:
            found.append(f"{result.name}: {result.queries} SQL statements (budget {QUERY_BUDGET})")
        if result.rounds and any(r["non2xx"] or r["socket_errors"] for r in result.rounds):
            found.append(f"{result.name}: errors under load (non-2xx or socket errors)")
    deep, first = by_name.get("article list, 90% deep"), by_name.get("article list")
    if deep and first and deep.median("p50") > first.median("p50") * DEEP_PAGE_TOLERANCE:
        found.append(f"deep article page p50 {deep.median('p50'):.1f} ms vs page 1 {first.median('p50'):.1f} ms")
    return found


def report(
    target: Target, results: list[PageResult], args: argparse.Namespace, load: list[float], server: dict[str, Any]
) -> str:
    ceiling = next(r for r in results if r.name == CEILING).median("rps")
    generated = json.loads((target.workdir / "generated.json").read_text())
    lines = [
        f"Load benchmark, {target.db}, scale {target.scale}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"gunicorn {args.workers} sync workers; wrk 1 thread, {args.connections} connections, "
        f"{args.repeats} × {args.duration} s per page (median); 1-min load average {load[0]:.1f} before, "
        f"{load[-1]:.1f} after ({os.cpu_count()} CPUs); data: "
        + ", ".join(f"{count:,} {name}" for name, count in generated["counts"].items()),
        "",
        "| page | req/s | of ceiling | p50 ms | p95 ms | p99 ms | SQL/request | app ms | CPU ms | HTML bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(result, ceiling) for result in results),
        "",
        f"Start-up (process start → first answer): {server['startup_s']} s; resident memory per worker after the "
        f"run: {', '.join(f'{mb} MB' for mb in server['worker_rss_mb'])}.",
        "",
    ]
    missed = misses(results)
    lines += ["Below target:", *(f"- {miss}" for miss in missed)] if missed else ["Every page met its targets."]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> list[PageResult]:
    from bench.load_data import BENCH_NIP, BENCH_PASSWORD, sample_urls

    secret_key = secrets.token_urlsafe(48)
    with prepared(args.db, args.scale, args.regenerate, args.keep_postgres, args.suffix) as target:
        app = _app(target, secret_key)
        with app.app_context():
            urls = sample_urls()
        wanted = set(args.pages.split(",")) if args.pages else None
        pages = [PageResult(CEILING, CEILING_PATH)] + [
            PageResult(name, path) for name, path in urls.items() if wanted is None or name in wanted
        ]
        measure_in_process(target, secret_key, pages[1:], BENCH_NIP, BENCH_PASSWORD)
        with gunicorn(target, secret_key, args.workers, args.port) as server:
            base = server.base
            cookie = login_cookie(base, BENCH_NIP, BENCH_PASSWORD)
            for result in pages:
                result.status, result.html_bytes = fetch(base, result.path, cookie)
                if result.status != 200:
                    raise RuntimeError(f"{result.name} ({result.path}) answered {result.status}, not 200")
                wrk_round(base, result.path, cookie, WARM_UP_SECONDS, args.connections)
            load = [os.getloadavg()[0]]
            for round_number in range(1, args.repeats + 1):
                for result in pages:
                    result.rounds.append(wrk_round(base, result.path, cookie, args.duration, args.connections))
                    print(f"  round {round_number} {result.name}: {result.rounds[-1]['rps']:,.0f} req/s", flush=True)
            load.append(os.getloadavg()[0])
            measured = {"startup_s": server.startup_s, "worker_rss_mb": server.worker_rss_mb()}
        text = report(target, pages, args, load, measured)
        print("\n" + text)
        stem = RESULTS / f"load-{args.db}-{args.scale}{args.suffix}"
        stem.with_suffix(".md").write_text(text)
        stem.with_suffix(".json").write_text(json.dumps({"pages": [asdict(p) for p in pages], **measured}, indent=2))
    return pages


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py load", description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--scale", choices=("small", "city"), default="city")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page and round")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument("--suffix", default="", help="added to the database, data folder and result names")
    parser.add_argument("--keep-postgres", action="store_true", help="use and keep the bench_load_<scale> database")
    parser.add_argument("--regenerate", action="store_true", help="make the SQLite data set again")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    RESULTS.mkdir(parents=True, exist_ok=True)
    run(args)


if __name__ == "__main__":
    main()
