"""Public pages benchmark: the citizen pages under gunicorn with PostgreSQL and Redis on
127.0.0.1, next to a trivial Django view measured in the same run.

Three servers, one after the other. Each row's ratio is its throughput over the trivial
view's measured just before and just after it on the same server (these machines are
shared and noisy; the mean of all trivial rounds is printed too):

1. page cache on (PAGE_CACHE_SECONDS=600, portal.pagecache in Redis): the dashboard,
   the service list, a service page and three content pages (rules, FAQ, information
   packages) as an anonymous visitor gets them after the first visit; and the tracking
   lookup (POST the code with the CSRF token, follow the redirect, GET the status
   page; never cached, the pages are no-store);
2. page cache off (PAGE_CACHE_SECONDS=0): the same pages rendered every time, as for a
   signed-in editor: Wagtail routes and serves each, the template fragments
   ({% wagtailcache %} / {% wagtailpagecache %} varied on the content version: the
   dashboard menu, each page's body) and the portal settings come from Redis;
3. page cache and fragments off (FRAGMENT_CACHE_SECONDS=0, Redis flushed first so no
   fragment of step 2 is read): the service page rendered from scratch, for comparison
   (no target).

Then the first-load page weight of the dashboard and a service page: the HTML, every
stylesheet, script and font the page loads (fonts: those its CSS uses), as a browser
sending `Accept-Encoding: gzip, br` receives them from WhiteNoise (collectstatic with
CompressedManifestStaticFilesStorage, as in production), and the cache lifetime of
those files.

16 keep-alive clients; bounded in requests and time; 127.0.0.1 only; stops the
gunicorns it started; flushes only the Redis database it is given. Not a test: it
prints figures. Give a port, a database and a Redis database of your own when others
benchmark on the same machine:

    .venv/bin/python bench/public_bench.py
    .venv/bin/python bench/public_bench.py --port 8875 \
        --database-url postgres://postgres@127.0.0.1:5432/my_public_bench \
        --redis-url redis://127.0.0.1:6379/13

Targets: cached public pages >= 0.5x the trivial view; uncached (page cache off) the
dashboard, the service list and a service page >= 0.1x; tracking lookup >= 0.1x per
HTTP request (lookups per second printed too); first-load weight <= 150 KB (dashboard,
service page); JavaScript <= 30 KB compressed per page (bench/lighthouse_bench.py for
the Lighthouse scores).
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import (  # noqa: E402
    HOST,
    add_database_argument,
    create_database,
    gunicorn_command,
    percentile,
    run_clients,
    run_load,
    wait_for,
)

SERVICE_ID = "10012135000"
CONTENT_PAGES = ["/rules/", "/faq/", "/info/"]
TARGET_CACHED, TARGET_UNCACHED, TARGET_TRACKING = 0.5, 0.1, 0.1
UNCACHED_TARGETS = {
    "dashboard": TARGET_UNCACHED,
    "service list": TARGET_UNCACHED,
    "service page": TARGET_UNCACHED,
}
WEIGHT_BUDGET, JS_BUDGET = 150 * 1024, 30 * 1024


def fetch(port, path, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers={"Host": f"{HOST}:{port}", **(headers or {})})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict((k.lower(), v) for k, v in response.getheaders()), body


def start_server(args, env, port):
    gunicorn = gunicorn_command(port, args.workers, args.threads, "--log-level", "warning")
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)  # noqa: S603
    wait_for(port, server)
    return server


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def service_path(port):
    _status, _headers, body = fetch(port, "/services/")
    html = body.decode()
    for href in re.findall(r'href="(/services/[^"/]+/)"', html):
        status, _h, page = fetch(port, href)
        if status == 200 and SERVICE_ID in page.decode().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")):
            return href
    raise SystemExit(f"service {SERVICE_ID} not found on /services/: did load_demo run?")


def tracking_code(port):
    """Complete one request through the wizard (as bench/wizard_bench.py's citizen) and
    return its tracking code."""
    from bench.wizard_bench import STEP_NAMES, Citizen, lookup, png_bytes

    unit_id, officer_id = lookup(os.environ["BENCH_PUBLIC_DATABASE_URL"])
    citizen = Citizen(port, unit_id, officer_id, png_bytes())
    receipt = b""
    for name in STEP_NAMES:
        for status, expected, _ms, location, data in citizen.step(name):
            if status != expected:
                raise SystemExit(f"wizard {name}: HTTP {status} {location}")
            receipt = data
    citizen.close()
    digits = receipt.decode().translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    match = re.search(r"\b(\d{8})-?(\d{8})\b", digits)
    if not match:
        raise SystemExit("no tracking code on the receipt")
    return match.group(1) + match.group(2)


def run_lookups(port, code, total, clients, time_cap):
    """Each client: GET /track/ once (CSRF cookie), then lookups = POST the code, GET
    the status page it redirects to. Returns (lookups, seconds, ms per lookup, errors)."""
    lock = threading.Lock()
    state = {"next": 0}
    latencies, errors = [], []
    deadline = time.monotonic() + time_cap
    typed = f"{code[:8]}-{code[8:]}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))

    def worker():
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        cookies = {}

        def call(method, path, body=None):
            headers = {"Host": f"{HOST}:{port}"}
            if cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location", "")

        try:
            call("GET", "/track/")
        except (OSError, http.client.HTTPException) as error:
            errors.append(repr(error))
            return
        while time.monotonic() < deadline:
            with lock:
                if state["next"] >= total:
                    break
                state["next"] += 1
            started = time.perf_counter()
            try:
                body = urlencode({"csrfmiddlewaretoken": cookies.get("csrftoken", ""), "code": typed})
                status, location = call("POST", "/track/", body)
                if status != 302:
                    errors.append(f"lookup POST {status}")
                    continue
                status, _ = call("GET", location)
                if status != 200:
                    errors.append(f"status page {status}")
                    continue
            except (OSError, http.client.HTTPException) as error:
                errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
        connection.close()

    seconds = run_clients(worker, clients)
    return len(latencies), seconds, latencies, errors


def measure_trivial(args, port, rounds):
    result = run_load(port, ["/bench/trivial/"], args.requests, args.clients, args.time_cap)
    rounds.append(result)
    return result


def row(name, result, trivial_rate, target=None, unit="req/s"):
    count, seconds, latencies, errors = result
    rate = count / seconds if seconds else 0
    ratio = rate / trivial_rate if trivial_rate else 0
    met = "" if target is None else ("ok" if ratio >= target and not errors else "MISSED")
    target_text = "" if target is None else f"{target:.1f}x"
    print(
        f"{name:<34}{rate:>9.1f} {unit:<9}{statistics.median(latencies) if latencies else 0:>8.1f}"
        f"{percentile(latencies, 0.95) if latencies else 0:>9.1f}{count:>8}{ratio:>7.2f}x{target_text:>7} {met}"
        + (f"  errors: {len(errors)} {errors[:2]}" if errors else "")
    )
    return ratio, errors


def header():
    print(f"{'':<34}{'rate':>9} {'':<9}{'p50 ms':>8}{'p95 ms':>9}{'count':>8}{'ratio':>8}{'target':>7}")


def trivial_rate(rounds):
    return sum(r[0] for r in rounds) / sum(r[1] for r in rounds)


def page_weight(port, path):
    """(total bytes, rows of (url, bytes received, encoding, cache-control)) for a first visit."""
    accept = {"Accept-Encoding": "gzip, br"}
    _status, headers, body = fetch(port, path, accept)
    html = body.decode()
    rows = [(path, len(body), headers.get("content-encoding", "-"), headers.get("cache-control", "-"))]
    assets = re.findall(r'<link[^>]+href="(/static/[^"]+\.(?:css|woff2))"', html)
    assets += re.findall(r'<script[^>]+src="(/static/[^"]+\.js)"', html)
    fonts = set()
    for asset in list(dict.fromkeys(assets)):
        status, headers, body = fetch(port, asset, accept)
        if status != 200:
            raise SystemExit(f"{asset}: HTTP {status}")
        rows.append(
            (asset, len(body), headers.get("content-encoding", "-"), headers.get("cache-control", "-"))
        )
        if asset.endswith(".css"):
            _s, _h, raw = fetch(port, asset)
            base = asset.rsplit("/", 1)[0]
            for font in re.findall(r'url\("?([^")]+\.woff2)"?\)', raw.decode()):
                fonts.add(os.path.normpath(f"{base}/{font}") if not font.startswith("/") else font)
    for font in sorted(fonts - set(assets)):
        status, headers, body = fetch(port, font, accept)
        rows.append(
            (font, len(body), headers.get("content-encoding", "-"), headers.get("cache-control", "-"))
        )
    return sum(r[1] for r in rows), rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000, help="requests per page and round")
    parser.add_argument("--lookups", type=int, default=600)
    parser.add_argument("--time-cap", type=float, default=90, help="seconds at most per measurement")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    add_database_argument(parser, "BENCH_PUBLIC_DATABASE_URL", "perf_public_bench")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    args = parser.parse_args()
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")) or "@127.0.0.1" not in url:
        raise SystemExit("The benchmark runs on PostgreSQL at 127.0.0.1 only.")
    if not args.redis_url.startswith("redis://127.0.0.1"):
        raise SystemExit("The benchmark uses Redis at 127.0.0.1 only.")
    os.environ["BENCH_PUBLIC_DATABASE_URL"] = url

    python = sys.executable
    static_root = tempfile.mkdtemp(prefix="public-bench-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_MANIFEST_STATIC": "1",
        "STATIC_ROOT": static_root,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": args.redis_url,
        "PRIVATE_MEDIA_ROOT": tempfile.mkdtemp(prefix="public-bench-private-"),
        "INTAKE_SUBMIT_RATE": "0/60",
        "FOLLOWUP_LOOKUP_RATE": "0/1",  # one address plays every citizen
        "FOLLOWUP_OTP_REQUIRED": "0",
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "SMS_BACKEND": "intake.sms.ConsoleBackend",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("ELASTICSEARCH_URL", None)
    create_database(url)
    manage = [python, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([*manage, "load_demo", "--no-index", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()

    results = {}
    adjacent = {}  # the trivial-view rounds measured just before and just after each row
    # 1. Page cache on.
    server = start_server(args, {**env, "PAGE_CACHE_SECONDS": "600"}, args.port)
    try:
        service = service_path(args.port)
        pages = {"dashboard": "/", "service list": "/services/", "service page": service}
        pages.update({f"content {path}": path for path in CONTENT_PAGES})
        code = tracking_code(args.port)
        run_load(args.port, ["/bench/trivial/", *pages.values()], 400, args.clients, 30)  # warm every worker
        rounds = []
        measure_trivial(args, args.port, rounds)
        for name, path in pages.items():
            results[("cached", name)] = run_load(
                args.port, [path], args.requests, args.clients, args.time_cap
            )
            measure_trivial(args, args.port, rounds)
            adjacent[("cached", name)] = rounds[-2:]
        results["lookup"] = run_lookups(args.port, code, args.lookups, args.clients, args.time_cap)
        measure_trivial(args, args.port, rounds)
        adjacent["lookup"] = rounds[-2:]
        cached_trivial = trivial_rate(rounds)
        cached_rounds = rounds
        _s, page_headers, _b = fetch(args.port, service)
        weights = {name: page_weight(args.port, pages[name]) for name in ("dashboard", "service page")}
    finally:
        stop(server)
    # 2. Page cache off.
    server = start_server(args, {**env, "PAGE_CACHE_SECONDS": "0"}, args.port)
    try:
        run_load(args.port, ["/bench/trivial/", *pages.values()], 400, args.clients, 30)
        rounds = []
        measure_trivial(args, args.port, rounds)
        for name, path in pages.items():
            results[("uncached", name)] = run_load(
                args.port, [path], args.requests // 4, args.clients, args.time_cap
            )
            measure_trivial(args, args.port, rounds)
            adjacent[("uncached", name)] = rounds[-2:]
        uncached_trivial = trivial_rate(rounds)
    finally:
        stop(server)
    # 3. Page cache and fragments off: the service page only, nothing kept by step 2 read.
    redis.Redis.from_url(args.redis_url).flushdb()
    server = start_server(args, {**env, "PAGE_CACHE_SECONDS": "0", "FRAGMENT_CACHE_SECONDS": "0"}, args.port)
    try:
        run_load(args.port, ["/bench/trivial/", service], 400, args.clients, 30)
        rounds = []
        measure_trivial(args, args.port, rounds)
        results["no fragments"] = run_load(
            args.port, [service], args.requests // 4, args.clients, args.time_cap
        )
        measure_trivial(args, args.port, rounds)
        adjacent["no fragments"] = rounds[-2:]
    finally:
        stop(server)

    failed = []
    print()
    print(
        f"PostgreSQL + Redis, gunicorn {args.workers} workers x {args.threads} threads (gthread), "
        f"{args.clients} clients, persistent DB connections"
    )
    print(f"page cache ON (X-Page-Cache of the service page: {page_headers.get('x-page-cache', '-')})")
    header()
    trivial_latencies = [v for r in cached_rounds for v in r[2]]
    print(
        f"{'trivial view':<34}{cached_trivial:>9.1f} {'req/s':<9}{statistics.median(trivial_latencies):>8.1f}"
        f"{percentile(trivial_latencies, 0.95):>9.1f}{len(trivial_latencies):>8}{1:>7.2f}x"
    )
    for name in pages:
        ratio, errors = row(
            f"{name} (cached)",
            results[("cached", name)],
            trivial_rate(adjacent[("cached", name)]),
            TARGET_CACHED,
        )
        if ratio < TARGET_CACHED or errors:
            failed.append(f"{name} cached")
    # A lookup is two HTTP requests (POST the code, GET the status page). The target is
    # judged per HTTP request, the unit every other row is measured in; the lookups per
    # second are printed too.
    lookup_trivial = trivial_rate(adjacent["lookup"])
    _ratio, errors = row("tracking lookup (POST+GET)", results["lookup"], lookup_trivial, None, "lookups/s")
    count, seconds, _lat, _err = results["lookup"]
    per_request = 2 * count / seconds / lookup_trivial
    verdict = "ok" if per_request >= TARGET_TRACKING and not errors else "MISSED"
    print(
        f"{'':<34}= {2 * count / seconds:.1f} req/s, {per_request:.2f}x per request (target {TARGET_TRACKING:.1f}x) {verdict}"
    )
    if verdict != "ok":
        failed.append("tracking lookup")
    print(f"page cache OFF: trivial view {uncached_trivial:.1f} req/s")
    header()
    for name in pages:
        target = UNCACHED_TARGETS.get(name)
        ratio, errors = row(
            f"{name} (uncached)",
            results[("uncached", name)],
            trivial_rate(adjacent[("uncached", name)]),
            target,
        )
        if (target and ratio < target) or errors:
            failed.append(f"{name} uncached")
    print("page cache and fragments OFF (for comparison):")
    _ratio, errors = row(
        "service page (from scratch)", results["no fragments"], trivial_rate(adjacent["no fragments"])
    )
    if errors:
        failed.append("service page from scratch")
    print()
    for name, (total, rows) in weights.items():
        js = sum(size for asset, size, _enc, _cc in rows if asset.endswith(".js"))
        verdict = "ok" if total <= WEIGHT_BUDGET and js <= JS_BUDGET else "MISSED"
        print(
            f"first load of the {name}: {total / 1024:.1f} KB (budget 150 KB), JS {js / 1024:.1f} KB (budget 30 KB) {verdict}"
        )
        for asset, size, encoding, cache_control in rows:
            print(f"   {size / 1024:>7.1f} KB  {encoding:<5} {cache_control:<40} {asset}")
        if verdict != "ok":
            failed.append(f"{name} weight")
    print("targets met" if not failed else f"TARGETS MISSED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
