"""Small helpers the demo loaders of several apps share (no app of ours imported)."""

import functools
import html
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Locale


@dataclass
class DemoContext:
    """What load_demo hands every app's `demo.load(ctx)`."""

    home: object
    stdout: object
    locale: Locale
    pages: dict = field(default_factory=dict)

    def say(self, message):
        if self.stdout is not None:
            self.stdout.write(message)


def child_page(parent, model, slug):
    """The child of `parent` of this type with this slug, or None."""
    return model.objects.child_of(parent).filter(slug=slug).first()


def publish_child(parent, page):
    """Add `page` under `parent` (validated by Page.save) and publish it."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def font_path():
    """The Vazirmatn font served by the project (copied from npm by `make assets`)."""
    return Path(settings.BASE_DIR) / "static" / "vendor" / "vazirmatn" / "Vazirmatn-Regular.woff2"


@functools.lru_cache(maxsize=32)
def render_pdf(title, paragraphs):
    """A real, right-to-left Persian PDF (WeasyPrint with Vazirmatn); cached per process."""
    from weasyprint import HTML

    font = font_path()
    font_face = (
        f"@font-face {{ font-family: Vazirmatn; src: url('{font.as_uri()}'); }}" if font.exists() else ""
    )
    body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    document = f"""<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<style>{font_face} body {{ font-family: Vazirmatn, sans-serif; direction: rtl; font-size: 12pt; }}
h1 {{ font-size: 16pt; }} .line {{ border-bottom: 1px dotted #555; height: 1.8em; }}</style></head>
<body><h1>{html.escape(title)}</h1>{body}
{"".join('<div class="line"></div>' for _ in range(8))}</body></html>"""
    return HTML(string=document).write_pdf()


def demo_document(title, filename, paragraphs):
    """The Wagtail document with this title, created (as a real PDF) if missing."""
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    document = Document(title=title)
    document.file.save(filename, ContentFile(render_pdf(title, tuple(paragraphs))), save=False)
    document.save()
    return document
