"""`make cluster`: two gunicorn app servers behind nginx on one PostgreSQL database and one Redis.

``.venv/bin/python bench/cluster.py [--database portal_cluster] [--port 5740] [--app-ports 5741,5742]``

What it starts (and stops again on Ctrl+C):

- PostgreSQL database ``--database`` on the local server (dropped and created again unless ``--keep``), migrated
  (``flask db upgrade``) and filled with the demo city (``flask demo load``) once, before any server starts;
- per app server ``N``: gunicorn (sync workers) with its own instance folder ``<workdir>/app-N`` and
  ``PORTAL_HOST_NAME=app-N`` (the ``X-Portal-Host`` response header says which server answered); all of them
  share the upload folder ``<workdir>/shared/uploads`` (``UPLOAD_ROOT``), the search index
  ``<workdir>/shared/search-index``, the ``SECRET_KEY``, and Redis db ``--redis-db`` (emptied at start) for the
  fragment caches (``CACHE_REDIS_URL``) and the rate limits (``RATELIMIT_STORAGE_URI``);
- Debian's nginx (``/usr/sbin/nginx``) as the current user, with its own prefix, configuration, pid file and logs
  under ``<workdir>/nginx``: one port, round robin over the app servers. A GET whose server is down is passed to
  the next one; a POST only when it never reached the dead server (nginx never repeats a non-idempotent request
  that was sent), so a write is never done twice.

The tests in ``tests/cluster/`` and ``bench/cluster_bench.py`` use :class:`Cluster` directly.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
PG_SERVER = os.environ.get("CLUSTER_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("CLUSTER_REDIS_SERVER", "redis://127.0.0.1:6379")
STARTUP_SECONDS = 60

NGINX_CONF = """\
# Written by bench/cluster.py: round robin over the portal's app servers. Not a production configuration
# (no TLS, no static files): see docs/operations.md "Lebih dari satu server".
{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {access_log};
    default_type application/octet-stream;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 64m;
    upstream portal {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $http_host;
            # A server that refuses or drops the connection: try the next one. nginx never passes on a POST
            # (PATCH, LOCK) it has already sent, so a write reaches at most one server.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


@dataclass
class ClusterConfig:
    database: str = "portal_cluster"
    port: int = 5740
    app_ports: tuple[int, ...] = (5741, 5742)
    workdir: Path = ROOT / "instance" / "cluster"
    redis_db: int = 14
    redis_server: str = REDIS_SERVER
    workers: int = 2
    keep_database: bool = False
    demo: bool = True  # load the demo city (tests bring their own few rows instead: it takes a minute or two)
    access_log: bool = True
    app_spec: str = "wsgi:app"
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    extra_env: dict[str, str] = field(default_factory=dict)


class Cluster:
    """The processes of one cluster run; ``with Cluster(config) as cluster:`` prepares, starts and stops all."""

    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self.apps: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self._logs: list = []

    # ------------------------------------------------------------ names and settings

    @property
    def database_url(self) -> str:
        return f"{PG_SERVER}/{self.config.database}"

    @property
    def redis_url(self) -> str:
        return f"{self.config.redis_server}/{self.config.redis_db}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.config.port}"

    @property
    def shared(self) -> Path:
        return self.config.workdir / "shared"

    @property
    def upload_root(self) -> Path:
        return self.shared / "uploads"

    def host_name(self, index: int) -> str:
        return f"app-{index}"

    def app_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.config.app_ports[index - 1]}"

    def instance(self, index: int) -> Path:
        return self.config.workdir / f"app-{index}"

    def env(self, index: int, *, production: bool = True) -> dict[str, str]:
        """The environment of app server ``index`` (1-based); ``production=False`` for the demo load."""
        inherited = {k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL", "UPLOAD_DIR"}}
        return {
            **inherited,
            "FLASK_APP": "wsgi",
            "PORTAL_CONFIG": "production" if production else "development",
            "PORTAL_INSTANCE_PATH": str(self.instance(index)),
            "PORTAL_HOST_NAME": self.host_name(index),
            "PORTAL_HOSTS": str(len(self.config.app_ports)),
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": self.config.secret_key,
            "UPLOAD_ROOT": str(self.upload_root),
            "SEARCH_INDEX_DIR": str(self.shared / "search-index"),
            "CACHE_REDIS_URL": self.redis_url,
            "RATELIMIT_STORAGE_URI": self.redis_url,
            "FRAGMENT_CACHE_PREFIX": f"cluster-{self.config.database}:",
            "TRUSTED_PROXIES": "1",
            "SESSION_COOKIE_SECURE": "0",
            "MAIL_BACKEND": "log",
            "PYTHONUNBUFFERED": "1",
            **self.config.extra_env,
        }

    # ------------------------------------------------------------ database, Redis, demo data

    def prepare(self) -> None:
        """Fresh folders, Redis db emptied, the database created, migrated and loaded with the demo city."""
        workdir = self.config.workdir
        if workdir.exists():
            shutil.rmtree(workdir)
        for index in range(1, len(self.config.app_ports) + 1):
            self.instance(index).mkdir(parents=True)
        self.upload_root.mkdir(parents=True)
        self._redis_flush()
        if not self.config.keep_database:
            _pg_tool("dropdb", "--force", "--if-exists", self.config.database)
            _pg_tool("createdb", self.config.database)
        env = self.env(1, production=False)
        commands = [["db", "upgrade"], ["demo", "load", "--if-empty"], ["search", "rebuild"]]
        for command in commands if self.config.demo else [commands[0]]:
            self._run_flask(command, env)

    def _run_flask(self, command: list[str], env: dict[str, str]) -> None:
        started = time.perf_counter()
        result = subprocess.run(  # noqa: S603 - the project's own flask
            [str(VENV_BIN / "flask"), *command], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
        print(f"  flask {' '.join(command)}: {time.perf_counter() - started:.1f} s", flush=True)

    def _redis_flush(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def drop_database(self) -> None:
        _pg_tool("dropdb", "--force", "--if-exists", self.config.database, check=False)

    # ------------------------------------------------------------ processes

    def start_app(self, index: int) -> None:
        port = self.config.app_ports[index - 1]
        command = [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            str(self.config.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "20",
            "--log-level",
            "warning",
            self.config.app_spec,
        ]
        log = (self.config.workdir / f"gunicorn-{index}.log").open("a")
        self._logs.append(log)
        self.apps[index] = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env(index), stdout=log, stderr=log, start_new_session=True
        )
        _wait_until_up(f"{self.app_url(index)}/healthz", self.apps[index], f"gunicorn-{index}.log")

    def stop_app(self, index: int, sig: signal.Signals = signal.SIGTERM) -> None:
        """Stop server ``index``: SIGTERM finishes the requests in hand; SIGKILL is a crash (master and workers)."""
        server = self.apps.pop(index, None)
        if server is not None:
            _stop_group(server, sig)

    def kill_app(self, index: int) -> None:
        self.stop_app(index, signal.SIGKILL)

    def start_nginx(self, indexes: list[int] | None = None) -> None:
        """(Re)start nginx in front of the app servers ``indexes`` (default: all)."""
        self.stop_nginx()
        indexes = indexes or list(range(1, len(self.config.app_ports) + 1))
        prefix = self.config.workdir / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(
            f"        server 127.0.0.1:{self.config.app_ports[i - 1]} max_fails=1 fail_timeout=10s;" for i in indexes
        )
        conf = prefix / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user="user root;\n" if os.geteuid() == 0 else "",
                prefix=prefix,
                access_log=f"{prefix}/access.log" if self.config.access_log else "off",
                servers=servers,
                port=self.config.port,
            )
        )
        if not Path(NGINX).exists():
            raise RuntimeError(f"{NGINX} is missing: apt-get install nginx-light")
        log = (prefix / "stderr.log").open("a")
        self._logs.append(log)
        self.nginx = subprocess.Popen(  # noqa: S603
            [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        _wait_until_up(f"{self.url}/healthz", self.nginx, "nginx/error.log")

    def stop_nginx(self) -> None:
        if self.nginx is not None:
            _stop_group(self.nginx, signal.SIGTERM)
            self.nginx = None

    def start_servers(self) -> None:
        for index in range(1, len(self.config.app_ports) + 1):
            self.start_app(index)
        self.start_nginx()

    def start(self) -> None:
        self.prepare()
        self.start_servers()

    def stop(self) -> None:
        self.stop_nginx()
        for index in list(self.apps):
            self.stop_app(index)
        for log in self._logs:
            log.close()
        self._logs.clear()

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _error: BaseException | None, _traceback: TracebackType | None
    ) -> None:
        self.stop()


def _pg_tool(tool: str, *args: str, check: bool = True) -> None:
    path = shutil.which(tool)
    if path is None:
        raise RuntimeError(f"{tool} is not installed: apt-get install postgresql-client")
    subprocess.run([path, "-h", "127.0.0.1", "-U", "postgres", *args], check=check, capture_output=True)  # noqa: S603


def _stop_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    """Signal the process group, then SIGKILL whatever is left after 20 s."""
    for signal_to_send, wait in ((sig, 20), (signal.SIGKILL, 10)):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal_to_send)
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with suppress(ProcessLookupError):  # workers of a killed master
        os.killpg(process.pid, signal.SIGKILL)


def _wait_until_up(url: str, process: subprocess.Popen, log_name: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited; see {log_name} in the cluster folder")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {STARTUP_SECONDS} s")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/cluster.py", description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("CLUSTER_DATABASE", "portal_cluster"))
    parser.add_argument("--port", type=int, default=5740)
    parser.add_argument("--app-ports", default="5741,5742", help="one port per app server, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--redis-db", type=int, default=14, help="Redis database number (emptied at start)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "instance" / "cluster")
    parser.add_argument("--keep", action="store_true", help="keep the database (no drop, no re-create)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config = ClusterConfig(
        database=args.database,
        port=args.port,
        app_ports=tuple(int(port) for port in args.app_ports.split(",")),
        workdir=args.workdir.resolve(),
        redis_db=args.redis_db,
        workers=args.workers,
        keep_database=args.keep,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Preparing the cluster in {config.workdir} (database {config.database}) ...", flush=True)
    with Cluster(config) as cluster:
        servers = ", ".join(f"{cluster.host_name(i)} {cluster.app_url(i)}" for i in cluster.apps)
        print(f"\n  Portal (nginx, round robin): {cluster.url}   ({servers})")
        print("  Ctrl+C stops nginx and the app servers.\n", flush=True)
        with suppress(KeyboardInterrupt):
            while all(server.poll() is None for server in [*cluster.apps.values(), cluster.nginx] if server):
                time.sleep(1)
            print("A process of the cluster exited; stopping the others.", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
