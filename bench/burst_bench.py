"""Burst benchmark (issue 19): 200 members log in at once, then 200 article edits at once, against gunicorn.

Not a test: ``.venv/bin/python bench/run.py burst --db sqlite|postgres``. gunicorn runs as in the load benchmark
(``--workers 2 --worker-class sync``, production config, loopback only) on a fresh database holding ``--users``
verified members (one password) and ``--articles`` published articles. Each phase starts its requests together
(threads behind a barrier, urllib) and is bounded: ``--timeout`` seconds per request, ``--deadline`` per phase.

Reported per phase: requests, errors (a 5xx answer or no answer), the answers by status, p50/p95/max latency of
the POSTs. A login succeeds with 302; an edit with 302 (saved) - a 503 is the portal's "coba lagi" page, counted
as an error here too.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_bench import RESULTS, Target, _pg_tool, gunicorn  # noqa: E402

PASSWORD = "Burst#Sawahlunto2026"  # noqa: S105 - the generated members of a throwaway database
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookie jar; ``get``/``post`` return (status, body, seconds)."""

    def __init__(self, base: str, timeout: float) -> None:
        self.base, self.timeout = base, timeout
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect
        )

    def request(self, path: str, form: dict | None = None) -> tuple[int, str, float]:
        data = urllib.parse.urlencode(form, doseq=True).encode() if form is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=data, timeout=self.timeout) as response:  # noqa: S310
                body, status = response.read().decode(errors="replace"), response.status
        except urllib.error.HTTPError as error:
            body, status = error.read().decode(errors="replace"), error.code
        except OSError:
            body, status = "", 0  # no answer (timeout, reset)
        return status, body, time.perf_counter() - started

    def csrf(self, path: str) -> str:
        status, body, _ = self.request(path)
        found = _CSRF.search(body)
        if not found:
            raise RuntimeError(f"GET {path} answered {status} without a CSRF token")
        return found.group(1)

    def log_in(self, nip: str, token: str | None = None) -> tuple[int, float]:
        """POST the login form (``token``: from an earlier GET of the page, so only the POST is timed)."""
        token = token or self.csrf("/masuk")
        status, _, seconds = self.request("/masuk", {"identifier": nip, "password": PASSWORD, "csrf_token": token})
        return status, seconds


def _seed(target: Target, users: int, articles: int) -> tuple[list[str], list[tuple[str, int]]]:
    """Members (NIPs) and (author NIP, article id) of published articles, written straight into the database."""
    os.environ.update(target.env, SECRET_KEY=secrets.token_urlsafe(48), SESSION_COOKIE_SECURE="0")
    from werkzeug.security import generate_password_hash

    from portal import create_app
    from portal.accounts.models import User
    from portal.articles import services as article_services
    from portal.extensions import db
    from portal.units.models import Unit, UnitKind

    app = create_app({"PORTAL_CONFIG": "production", "SQLALCHEMY_DATABASE_URI": target.database_url})
    with app.app_context(), app.test_request_context():
        db.create_all()
        unit = Unit(code="BURST", name="Dinas Uji Beban", kind=UnitKind.OFFICE)
        db.session.add(unit)
        db.session.flush()
        password_hash = generate_password_hash(PASSWORD)
        nips = [f"19880517201903{1 + n % 2}{n:03d}" for n in range(1, users + 1)]
        people = [
            User(
                nip=nip,
                name=f"Pegawai Uji {n}",
                email=f"uji{n}@sawahluntokota.go.id",
                unit_id=unit.id,
                password_hash=password_hash,
                session_token=secrets.token_hex(16),
                is_verified=True,
            )
            for n, nip in enumerate(nips, start=1)
        ]
        db.session.add_all(people)
        db.session.commit()
        written = []
        for n, author in enumerate(people[:articles], start=1):
            body = f"Paragraf pembuka artikel uji {n}.\n\nIsi yang cukup panjang untuk disunting bersama-sama."
            data = article_services.ArticleInput(title=f"Artikel uji beban {n}", summary="Ringkasan", body=body)
            article = article_services.create(author, data)
            article_services.publish(author, article)
            written.append((author.nip, article.id))
        db.engine.dispose()
    return nips, written


def _burst(label: str, jobs: list, deadline: float) -> dict:
    """Run every job at once (one thread each, released together); a job returns (status, seconds)."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        return job()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        done, not_done = wait(futures, timeout=deadline)
    results = [future.result() for future in done]
    statuses = Counter(status for status, _ in results)
    statuses["unfinished"] += len(not_done)
    times = sorted(seconds * 1000 for _, seconds in results)
    errors = sum(count for status, count in statuses.items() if status == "unfinished" or status == 0 or status >= 500)
    summary = {
        "phase": label,
        "requests": len(jobs),
        "errors": errors,
        "statuses": dict(sorted((str(k), v) for k, v in statuses.items() if v)),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1) if times else None,
        "max_ms": round(times[-1], 1) if times else None,
        "wall_s": round(time.perf_counter() - started, 1),
    }
    print(
        f"{label:8} {summary['requests']:4d} requests  errors {errors:4d}  p50 {summary['p50_ms']} ms  "
        f"p95 {summary['p95_ms']} ms  max {summary['max_ms']} ms  {summary['statuses']}  ({summary['wall_s']} s)",
        flush=True,
    )
    return summary


def run(db_name: str, users: int, logins: int, edits: int, articles: int, timeout: float, deadline: float) -> list:
    workdir = RESULTS / f"burst-{db_name}"
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "instance").mkdir(parents=True)
    database_url = None
    if db_name == "postgres":
        _pg_tool("dropdb", "--force", "--if-exists", "bench_burst")
        _pg_tool("createdb", "bench_burst")
        database_url = f"{PG_SERVER}/bench_burst"
    target = Target(db_name, "burst", workdir, database_url)
    try:
        nips, written = _seed(target, users, articles)
        with gunicorn(target, secrets.token_urlsafe(48), workers=2) as server:
            base = server.base
            login_jobs = []
            for nip in nips[:logins]:  # each opens the login page first; the burst is the 200 POSTs
                browser = Browser(base, timeout)
                login_jobs.append(lambda b=browser, n=nip, t=browser.csrf("/masuk"): b.log_in(n, t))
            results = [_burst("login", login_jobs, deadline)]
            authors = {}
            for nip, article_id in written:
                browser = Browser(base, timeout)
                browser.log_in(nip)
                authors[article_id] = (browser, browser.csrf(f"/artikel/{article_id}/ubah"))
            edit_jobs = []
            for n in range(edits):
                article_id = written[n % len(written)][1]
                browser, token = authors[article_id]
                form = {
                    "csrf_token": token,
                    "title": f"Artikel uji beban {article_id}",
                    "summary": f"Ringkasan suntingan {n}",
                    "body": f"Isi artikel, suntingan nomor {n}.\n\nParagraf kedua.",
                    "unit_id": "1",
                    "tags": "",
                    "note": f"Suntingan {n}",
                }
                edit_jobs.append(
                    lambda b=browser, a=article_id, f=form: (lambda r: (r[0], r[2]))(b.request(f"/artikel/{a}/ubah", f))
                )
            results.append(_burst("edit", edit_jobs, deadline))
        log = (workdir / "gunicorn.log").read_text(errors="replace")
        print(
            f"gunicorn.log: {log.count('Unhandled error')} unhandled errors, {log.count('database is locked')} "
            f"'database is locked'",
            flush=True,
        )
        return results
    finally:
        if db_name == "postgres":
            _pg_tool("dropdb", "--force", "--if-exists", "bench_burst", check=False)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request")
    parser.add_argument("--deadline", type=float, default=240.0, help="seconds per phase")
    parser.add_argument("--check", action="store_true", help="exit 1 when any phase had an error (CI)")
    args = parser.parse_args(argv)
    results = run(
        args.db, args.users, min(args.logins, args.users), args.edits, args.articles, args.timeout, args.deadline
    )
    if args.check and any(phase["errors"] for phase in results):
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
