"""Lighthouse (npm devDependency) on four citizen pages, mobile settings.

Starts the portal the way production runs it: gunicorn, portal.settings.production
(DEBUG off, WhiteNoise serving the compressed, hashed files `collectstatic` wrote
with CompressedManifestStaticFilesStorage), on 127.0.0.1 only, with the demo data
(load_demo) in its own PostgreSQL database. Only the HTTPS parts are switched off
(plain HTTP on the loopback): SECURE_SSL_REDIRECT=0, and the secure session cookie
is handed to Lighthouse as a header. Then runs Lighthouse from node_modules with
the system Chromium (CHROME_PATH=/usr/bin/chromium) on

    dashboard        /
    service page     /services/<the evaluation service>/
    wizard step 4    /request/step/4/   (a session walked through steps 0-3 over HTTP)
    tracking page    /track/

with Lighthouse's default mobile settings (emulated phone, simulated slow 4G and
4x CPU slowdown), each page --runs times, and prints the median score of each
category (performance, accessibility, best practices, SEO) per page, the median
Core Web Vitals, and every audit that cost points. Stops the gunicorn it started.

    .venv/bin/python bench/lighthouse_bench.py
    .venv/bin/python bench/lighthouse_bench.py --runs 1 --json /tmp/lh.json

Targets (issue 7): performance >= 95, accessibility 100, best practices >= 95.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

if not __package__:  # run as a script: bench/ is on sys.path, the project root is not
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.loadtest import HOST, create_database, gunicorn_command  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
SERVICE_ID = "10012135000"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"


class Session:
    """A cookie-keeping HTTP client for the loopback server (secure cookies too:
    the loopback runs plain HTTP)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.getheader("Location"), text

    def post_form(self, path, fields):
        status, _, page = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path}: HTTP {status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, location, _ = self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})
        if status != 302:
            raise SystemExit(f"POST {path}: HTTP {status}, expected a redirect")
        return location, page


def wait_for_portal(port, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped before it served anything")
        try:
            if Session(port).request("GET", "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def wizard_cookie(port):
    """Walk the wizard to step 4 over HTTP; returns the Cookie header of that session."""
    session = Session(port)
    _, page = session.request("GET", "/request/")[1:]
    services = json.loads(
        re.search(r'<script id="intake-services" type="application/json">(.*?)</script>', page, re.S).group(1)
    )
    unit = next(s["unit"] for s in services if s["id"] == SERVICE_ID)
    choice = {"unit": unit, "service": SERVICE_ID, "service_id": SERVICE_ID}
    session.post_form("/request/", {**choice, "agree": "on", "action": "next"})
    session.post_form("/request/step/1/", {"action": "next"})
    session.post_form(
        "/request/step/2/",
        {**choice, "action": "next", "request_text": "لطفاً عملکرد دهیاری روستای ۱۲ را بررسی کنید."},
    )
    location, _ = session.post_form("/request/step/3/", {"action": "next"})
    if not location.rstrip("/").endswith("/step/4"):
        raise SystemExit(f"the wizard did not reach step 4 (went to {location})")
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def service_path(port):
    status, _, page = Session(port).request("GET", "/services/")
    for href in re.findall(r'href="(/services/[^"]+/)"', page):
        if SERVICE_ID in Session(port).request("GET", href)[2]:
            return href
    raise SystemExit(f"no service page with the ID {SERVICE_ID}")


def lighthouse(url, out_dir, name, run, headers=None):
    output = out_dir / f"{name}-{run}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
    ]
    if headers:
        command.append("--extra-headers=" + json.dumps(headers))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, cwd=ROOT, timeout=300)  # noqa: S603
    return json.loads(output.read_text(encoding="utf-8"))


def summarise(reports):
    scores = {c: statistics.median(r["categories"][c]["score"] * 100 for r in reports) for c in CATEGORIES}
    worst = {c: min(r["categories"][c]["score"] * 100 for r in reports) for c in CATEGORIES}
    metrics = {
        label: statistics.median(r["audits"][audit]["numericValue"] for r in reports)
        for audit, label in METRICS.items()
    }
    lost = {}
    for report in reports:
        for category in CATEGORIES:
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    lost.setdefault(category, {})[ref["id"]] = (audit["score"], audit["title"])
    cpu = [round(r["environment"]["benchmarkIndex"]) for r in reports]
    return scores, worst, metrics, lost, cpu


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", help="write the medians to this file")
    parser.add_argument(
        "--static-root",
        help="collectstatic into this folder and keep it (later runs only copy what changed); "
        "a new temporary folder by default",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LIGHTHOUSE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/a11y_lighthouse"
        ),
    )
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `make assets` (npm ci).")
    url = args.database_url
    if not url.startswith(("postgres://", "postgresql://")) or "@127.0.0.1" not in url:
        raise SystemExit("The benchmark runs on PostgreSQL at 127.0.0.1 only.")

    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    python = sys.executable
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "600",
        "STATIC_ROOT": args.static_root or str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "SMS_BACKEND": "intake.sms.ConsoleBackend",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("REDIS_URL", "ELASTICSEARCH_URL"):
        env.pop(name, None)
    create_database(url)
    manage = [python, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_demo", "--no-index", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)

    gunicorn = gunicorn_command(args.port, args.workers, 4, "--log-level", "warning")
    server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)  # noqa: S603
    results = {}
    try:
        wait_for_portal(args.port, server)
        base = f"http://{HOST}:{args.port}"
        pages = {
            "dashboard": ("/", None),
            "service page": (service_path(args.port), None),
            "wizard step 4": ("/request/step/4/", {"Cookie": wizard_cookie(args.port)}),
            "tracking page": ("/track/", None),
        }
        for name, (path, headers) in pages.items():
            slug = re.sub(r"\W+", "-", name)
            for _warm in range(2):  # fill the page cache and the workers' caches
                Session(args.port).request("GET", path)
            reports = [lighthouse(base + path, work, slug, run, headers) for run in range(args.runs)]
            for report in reports:
                if report.get("runtimeError"):
                    raise SystemExit(f"{name}: {report['runtimeError']}")
                final = report.get("finalDisplayedUrl") or report.get("finalUrl")
                if not final.endswith(path):
                    raise SystemExit(f"{name}: Lighthouse ended on {final}, not {path}")
            results[name] = {
                "path": path,
                **dict(zip(("scores", "worst", "metrics", "lost", "cpu"), summarise(reports), strict=True)),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)

    version = reports[0]["lighthouseVersion"]
    chrome = reports[0]["environment"]["hostUserAgent"]
    print(f"\nLighthouse {version}, mobile (default), median of {args.runs} run(s); {chrome}")
    print(f"{'page':<16}{'path':<34}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, result in results.items():
        row = "".join(
            f"{result['scores'][c]:>16.0f}"
            if result["worst"][c] == result["scores"][c]
            else f"{result['scores'][c]:>10.0f} ({result['worst'][c]:.0f})"
            for c in CATEGORIES
        )
        print(f"{name:<16}{result['path']:<34}{row}")
    print("(worst run in brackets when it differs from the median)")
    print("\nLighthouse CPU benchmark index per run (higher is faster; a busy machine scores low):")
    for name, result in results.items():
        print(f"  {name:<16}{', '.join(map(str, result['cpu']))}")
    print("\nmedian metrics (ms; CLS unitless)")
    for name, result in results.items():
        print(
            f"  {name:<16}"
            + "  ".join(
                f"{k} {v:.0f}" if k != "CLS" else f"CLS {v:.3f}" for k, v in result["metrics"].items()
            )
        )
    print("\naudits that cost points (score < 1 in at least one run)")
    for name, result in results.items():
        for category, audits in result["lost"].items():
            for audit_id, (score, title) in audits.items():
                print(f"  {name:<16}{category:<16}{audit_id} ({score:.2f}): {title}")
    failed = [
        f"{name}: {category} {result['scores'][category]:.0f} < {target}"
        for name, result in results.items()
        for category, target in TARGETS.items()
        if result["scores"][category] < target
    ]
    print("\ntargets: performance >= 95, accessibility = 100, best practices >= 95")
    print("all met" if not failed else "missed: " + "; ".join(failed))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
