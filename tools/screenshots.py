"""Full-page pictures of every citizen page and state, at 360×780 and 1280×900.

    make screenshots                          # into screenshots/
    .venv/bin/python tools/screenshots.py --out /tmp/shots --width 360

Serves the demo from this process (an empty SQLite database in a temporary folder,
`load_demo`, SMS kept in memory, the follow-up's SMS code required as in
production), walks `tools.tour` in the system's Chromium once per width and saves
`<stop>-<width>.png` for each stop, plus the receipt and response PDFs' pages as
images (`receipt-pdf-1.png`, `response-pdf-1.png`). Look at every picture after a
template or CSS change. Nothing leaves 127.0.0.1.
"""

import argparse
import os
import sys
import tempfile
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urljoin
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {360: 780, 1280: 900}
PDF_STOPS = ("receipt", "track-response")  # each links its PDF


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def prepare(workdir):
    """Settings for a throwaway demo, then Django set up with demo content."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{workdir / 'demo.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private-media"),
        SMS_BACKEND="intake.sms.MemoryBackend",
        FOLLOWUP_OTP_REQUIRED="1",
        TASK_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        LOG_LEVEL="WARNING",
        # Playwright's sync API keeps an event loop in this thread; the tour's ORM
        # calls between browser steps are still synchronous.
        DJANGO_ALLOW_ASYNC_UNSAFE="true",
    )
    for name in ("REDIS_URL", "ELASTICSEARCH_URL", "MEDIA_S3_BUCKET", "PRIVATE_MEDIA_S3_BUCKET"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from django.conf import settings

    settings.DEBUG = False  # the citizen's 404 page, not Django's technical one


def serve():
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", 0, get_wsgi_application(), ThreadingServer, QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def pdf_pictures(page, out, stem):
    """The pages of the PDF this page links to, as pictures."""
    import pypdfium2

    href = page.locator('main a[href*="pdf"]').first.get_attribute("href")
    body = page.request.get(urljoin(page.url, href)).body()
    document = pypdfium2.PdfDocument(body)
    for number, pdf_page in enumerate(document, start=1):
        pdf_page.render(scale=1.5).to_pil().save(out / f"{stem}-{number}.png")
    return len(document)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--width", type=int, action="append", choices=sorted(WIDTHS))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    chromium = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
    chromium = os.environ.get("CHROMIUM", chromium)
    if not chromium:
        sys.exit("Chromium is missing: apt-get install -y chromium")

    with tempfile.TemporaryDirectory(prefix="portal-shots-") as tmp:
        workdir = Path(tmp)
        prepare(workdir)
        server, base_url = serve()
        from playwright.sync_api import sync_playwright

        from tools.tour import walk

        saved = 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--headless=new"]
            )
            for width in args.width or sorted(WIDTHS):
                context = browser.new_context(
                    viewport={"width": width, "height": WIDTHS[width]}, locale="fa-IR"
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                stops = walk(page, base_url, workdir / "files")
                name = "start"
                try:
                    for name in stops:
                        page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
                        saved += 1
                        if name in PDF_STOPS and width == min(args.width or WIDTHS):
                            saved += pdf_pictures(page, out, f"{name}-pdf")
                except Exception:
                    page.screenshot(path=out / f"FAILED-after-{name}-{width}.png", full_page=True)
                    raise
                finally:
                    context.close()
            browser.close()
        server.shutdown()
    print(f"{saved} pictures in {out}")


if __name__ == "__main__":
    main()
