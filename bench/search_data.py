"""Generates the benchmark catalog: N services (fixed seed) under one service index,
in the database DATABASE_URL names, then builds the search index once.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://... python -m bench.search_data 5000
"""

import random
import sys
import time

VERBS = ["صدور", "تمدید", "تعویض", "ابطال", "ثبت", "استعلام", "درجه بندی", "نظارت بر", "بازرسی", "ارزیابی"]
OBJECTS = [
    "کارت ملی",
    "گذرنامه‌ی",  # noqa: RUF001 (ZWNJ on purpose)
    "مجوز تاسیس دهیاری",
    "پروانه کسب",
    "سند مالکیت",
    "شناسنامه",
    "گواهی پایان کار",
    "پروانه ساختمان",
    "عملکرد شهرداریها",
    "طرح هادی روستایی",
    "بودجه سال ۱۴۰۳",
    "قرارداد پیمانکاری",
]
PLACES = ["روستایی", "شهری", "استانی", "کشور", "شهرستان", "بخش"]
WORDS = "درخواست متقاضی مدارک مورد نیاز بررسی تایید نهایی پرونده اداره کل سامانه الکترونیکی حضوری".split()


def ensure_menu():
    """The demo's dashboard menu (home.demo.MENU) on the default site, so every page
    renders it as the portal does: items whose page exists link to it, the others to
    their address."""
    from wagtail.models import Site

    from home.demo import MENU
    from home.models import DashboardMenu, DashboardMenuItem, HomePage

    site = Site.objects.get(is_default_site=True)
    menu = DashboardMenu.for_site(site)
    if menu.items.exists():
        return
    home = HomePage.objects.first()
    for order, (label, slug, url) in enumerate(MENU):
        page = home.get_children().filter(slug=slug).first() if slug else None
        DashboardMenuItem.objects.create(
            menu=menu, sort_order=order, label=label, link_page=page, link_url=url or f"/{slug}/"
        )


def vacuum():
    """What autovacuum does soon after a bulk load, done now so every run measures the
    same state: fresh planner statistics, and the GIN indexes' pending lists merged (a
    search index just filled scans its pending list on every query: ~14 ms against
    ~2 ms per full-text query with 5,000 services)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def generate(count, seed=1403):
    import django

    django.setup()
    from django.core.management import call_command
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage
    from services.models import OrgUnit, ServiceIndexPage, ServicePage

    rng = random.Random(seed)
    locale = Locale.get_default()
    existing = ServicePage.objects.filter(slug__startswith="bench-").count()
    if existing >= count:
        ensure_menu()
        vacuum()
        print(f"{existing} benchmark services already there.")
        return
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="داشبورد شهروندان", slug="bench-home", locale=locale))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "127.0.0.1", "root_page": home}
        )
    index = ServiceIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=ServiceIndexPage(title="لیست خدمات", slug="services", locale=locale))
    units = [
        OrgUnit.objects.get_or_create(name=f"اداره کل {place} {n}", locale=locale)[0]
        for n, place in enumerate(PLACES * 3)
    ]
    started = time.monotonic()
    for n in range(existing, count):
        title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} {n}"
        summary = " ".join(rng.choice(WORDS) for _ in range(12))
        page = ServicePage(
            title=title,
            slug=f"bench-{n}",
            locale=locale,
            unit=rng.choice(units),
            service_id=str(30000000000 + n),
            summary=summary,
            applicants="همه شهروندان",
            processing_days=rng.randint(1, 60),
            description=f"<p>{summary}</p>",
        )
        index.add_child(instance=page)
        if n % 500 == 0:
            print(f"  {n} services, {time.monotonic() - started:.0f}s", flush=True)
    ensure_menu()
    print("Building the search index (update_index)…", flush=True)
    call_command("update_index", verbosity=0)
    vacuum()
    print(f"{count} services ready in {time.monotonic() - started:.0f}s.")


if __name__ == "__main__":
    generate(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
