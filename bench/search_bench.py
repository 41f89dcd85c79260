"""Search benchmark: search and autocomplete against a trivial Django view, same run.

5,000 generated services in PostgreSQL, the portal under gunicorn on 127.0.0.1,
16 concurrent keep-alive clients over a set of Persian queries. Prints throughput
and p50/p95 latency per endpoint and each endpoint's throughput as a ratio of the
trivial view's (measured before and after, averaged), because these machines are
noisy. Bounded: a fixed number of requests per endpoint and a time cap; talks to
127.0.0.1 only; stops the gunicorn it started.

    .venv/bin/python bench/search_bench.py            # make the data once, then measure
    .venv/bin/python bench/search_bench.py --requests 2000 --clients 16
    .venv/bin/python bench/search_bench.py --cache-seconds 0   # response cache off

With the response cache off (SEARCH_CACHE_SECONDS=0) every request runs the search
itself: that is the honest figure for queries nobody asked before. The "cold" rows
give the same with the cache on (a new URL per request).

Floors, with 5,000 services and the response cache off (--cache-seconds 0): search at
least 0.05x and autocomplete at least 0.3x the trivial view.
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

if not __package__:  # run as a script: bench/ is on sys.path, the project root is not
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.loadtest import create_database, gunicorn_command, percentile, run_load, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEARCH_QUERIES = [
    "كارت ملي",  # Arabic yeh and kaf
    "گذرنامه\u200cی",  # ZWNJ
    "گذرنامهی",
    "دهياري",
    "صدور مجوز",
    "پروانه کسب روستایی",
    "۱۴۰۳",  # Persian digits
    "تمدید سند مالکیت",
    "ارزیابی عملکرد شهرداریها",
    "نظارت بر طرح هادی",
    "قرارداد پیمانکاری",
    "استعلام شناسنامه",
]
AUTOCOMPLETE_QUERIES = ["صد", "صدور ک", "گذر", "تمدید پ", "دهيا", "کارت مل", "ارز", "۳۰۰۰۰۰۰", "نظا"]
TARGETS = {"search": 0.05, "autocomplete": 0.3}  # floors with the response cache off


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=1600, help="requests per endpoint and round")
    parser.add_argument("--cold-requests", type=int, default=400, help="requests per cold endpoint")
    parser.add_argument("--time-cap", type=float, default=120, help="seconds at most per endpoint and round")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--cache-seconds",
        type=int,
        default=int(os.environ.get("SEARCH_CACHE_SECONDS", "60")),
        help="SEARCH_CACHE_SECONDS for the server (0: response cache off)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mizekhedmat_search_bench"
        ),
    )
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")) or "@127.0.0.1" not in url:
        raise SystemExit("The benchmark runs on PostgreSQL at 127.0.0.1 only.")

    python = sys.executable
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "TASK_BACKEND": "django_tasks.backends.dummy.DummyBackend",  # index once, at the end
        "SEARCH_CACHE_SECONDS": str(args.cache_seconds),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("ELASTICSEARCH_URL", None)
    create_database(args.database_url)
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "-m", "bench.search_data", str(args.services)], cwd=ROOT, env=env, check=True)

    gunicorn = gunicorn_command(args.port, args.workers, args.threads, "--log-level", "warning")
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)  # noqa: S603
    try:
        wait_for(args.port, server)
        endpoints = {
            "trivial": ["/bench/trivial/"],
            "search": ["/search/?" + urlencode({"query": q}) for q in SEARCH_QUERIES],
            "autocomplete": [
                "/search/autocomplete/?" + urlencode({"query": q}) for q in AUTOCOMPLETE_QUERIES
            ],
        }
        for paths in endpoints.values():  # warm every worker's caches and connections
            run_load(args.port, paths, 10 * len(paths), args.clients, 30)
        # Cold: every request a new URL (an ignored parameter), so none is served from the
        # response cache: the cost of the search itself.
        cold = args.cold_requests
        endpoints["search (cold)"] = [f"{path}&n={n}" for n in range(cold) for path in endpoints["search"]][
            :cold
        ]
        endpoints["autocomplete (cold)"] = [
            f"{path}&n={n}" for n in range(cold) for path in endpoints["autocomplete"]
        ][:cold]
        order = ["trivial", "search", "autocomplete", "search (cold)", "autocomplete (cold)", "trivial"]
        rounds = {}
        for name in order:
            total = cold if "cold" in name else args.requests
            completed, seconds, latencies, errors = run_load(
                args.port, endpoints[name], total, args.clients, args.time_cap
            )
            if errors:
                raise SystemExit(f"{name}: {len(errors)} errors, e.g. {errors[:3]}")
            rounds.setdefault(name, []).append((completed, seconds, latencies))
    finally:
        server.terminate()
        server.wait(timeout=30)

    def summary(name):
        completed = sum(r[0] for r in rounds[name])
        seconds = sum(r[1] for r in rounds[name])
        latencies = [value for r in rounds[name] for value in r[2]]
        return completed / seconds, statistics.median(latencies), percentile(latencies, 0.95), completed

    baseline = summary("trivial")[0]
    print()
    print(
        f"{args.services} services, PostgreSQL, gunicorn {args.workers} workers x {args.threads} threads, "
        f"{args.clients} clients, {args.requests} requests per endpoint and round, "
        f"response cache {'off' if args.cache_seconds <= 0 else f'{args.cache_seconds} s'}"
    )
    columns = ("req/s", "p50 ms", "p95 ms", "requests")
    print(f"{'endpoint':<20}" + "".join(f"{c:>10}" for c in columns) + f"{'ratio':>8}{'target':>8}")
    failed = False
    for name in ("trivial", "search", "autocomplete", "search (cold)", "autocomplete (cold)"):
        rate, p50, p95, completed = summary(name)
        ratio = rate / baseline
        target = TARGETS.get(name)
        mark = "" if target is None else f"{target:.2f}x"
        failed |= target is not None and ratio < target
        print(f"{name:<20}{rate:>10.1f}{p50:>10.1f}{p95:>10.1f}{completed:>10}{ratio:>7.2f}x{mark:>8}")
    trivial_rounds = [r[0] / r[1] for r in rounds["trivial"]]
    print(f"trivial view before/after: {trivial_rounds[0]:.1f} / {trivial_rounds[1]:.1f} req/s")
    print("targets met" if not failed else "TARGETS MISSED")


if __name__ == "__main__":
    main()
