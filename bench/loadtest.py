"""Load-test helpers shared by the benchmarks: keep-alive GET load from threads,
percentiles, a PostgreSQL database on 127.0.0.1, waiting for a server. Loopback only."""

import http.client
import threading
import time

HOST = "127.0.0.1"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_load(port, paths, total, clients, time_cap):
    """`total` GETs spread over `clients` keep-alive connections, cycling through `paths`.
    Returns (completed, seconds, latencies in ms, errors)."""
    lock = threading.Lock()
    state = {"next": 0}
    latencies, errors = [], []
    deadline = time.monotonic() + time_cap

    def worker():
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                n = state["next"]
                if n >= total:
                    break
                state["next"] = n + 1
            path = paths[n % len(paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": f"{HOST}:{port}"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(f"{status} {path}")
        connection.close()

    seconds = run_clients(worker, clients)
    return len(latencies), seconds, latencies, errors


def run_clients(worker, clients):
    """`worker()` in `clients` threads at once; returns the seconds they took."""
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def create_database(url):
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def wait_for(port, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it served anything")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/bench/trivial/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def prepare_database(url, env, root):
    """Create the database if needed, migrate it and load the demo content (no search index)."""
    import subprocess
    import sys

    create_database(url)
    for command in (["migrate", "--noinput"], ["load_demo", "--no-index"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=root, env=env, check=True)  # noqa: S603


def child_pids(pid):
    """The process ids whose parent is `pid` (gunicorn's workers under its master), from /proc."""
    import os

    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry))
    return sorted(children)


def add_database_argument(parser, variable, name):
    """--database-url, from `variable` in the environment or a database `name` on 127.0.0.1."""
    import os

    parser.add_argument(
        "--database-url", default=os.environ.get(variable, f"postgres://postgres@{HOST}:5432/{name}")
    )


def require_loopback_postgres(url):
    if not url.startswith(("postgres://", "postgresql://")) or f"@{HOST}" not in url:
        raise SystemExit(f"The benchmark runs on PostgreSQL at {HOST} only.")
    return url


def gunicorn_command(port, workers, threads, *extra):
    """gunicorn (gthread workers) for portal.wsgi on 127.0.0.1:port, from this virtualenv."""
    import sys
    from pathlib import Path

    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "portal.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        *extra,
    ]  # fmt: skip
