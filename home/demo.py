"""Demo: the dashboard (site root), the portal settings and the dashboard menu."""

from wagtail.models import Page, Site

from .models import DashboardMenu, DashboardMenuItem, HomePage, PortalSettings

HEAD_MESSAGE = (
    "مراجعه کننده محترم با سلام و احترام، مجموعه حاضر برای اطلاع رسانی از شرایط، نحوه و مراحل "
    "ارائه خدمت تدوین گردیده است. امید است با دسترسی به اطلاعات بیشتر و آشنایی شما با فرایندهای "
    "ارائه خدمات سازمان مدیریت و برنامه ریزی استان، موجب افزایش رضایت مندی شما را فراهم نماییم."
)
INTRO_NOTES = [
    "کاربر محترم خواهشمند است کلیه اطلاعات خود را جهت سهولت در پیگیری، توسط پرسنل سازمان به درستی وارد نمایید.",
    "کاربر محترم در صورتی که موقع ثبت درخواست با مشکل مواجه شدید، عملیات ثبت درخواست را از ابتدا انجام دهید.",
    "کاربر محترم جهت اطلاع دقیق از پاسخ به درخواست خود، شماره تلفن خود را صحیح وارد نمایید.",
    "کاربر محترم جهت پیگیری درخواست های خود شماره موبایل خود را صحیح وارد نمایید.",
    "درخواست شما در صورتی ثبت نهایی می شود که در انتها یک کد پیگیری را دریافت کنید.",
    "شما می توانید با استفاده از کد پیگیری خود از مراحل و نتیجه درخواست خود مطلع شوید.",
]

# (label, slug of a page under the dashboard, or a fixed address the portal serves)
MENU = [
    ("لیست خدمات", "services", ""),
    ("بسته اطلاع رسانی", "info", ""),
    ("فرمهای مورد نیاز جهت دریافت خدمات", "required-forms", ""),
    ("ثبت درخواست ارباب رجوع", "", "/request/"),
    ("نظرسنجی و پیگیری درخواست", "", "/track/"),
    ("مشاهده مراحل گردش کار", "", "/track/workflow/"),
    ("مشاهده سوابق درخواست ها", "", "/track/history/"),
    ("فرم درخواست نقشه", "map-request", ""),
    ("فرم قوانین و مقررات", "rules-form", ""),
    ("فرم اطلاعات آمارگیران", "statisticians", ""),
    ("پرسش و پاسخ", "faq", ""),
]


def ensure_site(locale):
    """The default site's root is a HomePage (Wagtail's welcome page is replaced)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    root = Page.get_first_root_node() or Page.add_root(title="ریشه", locale=locale)
    home = HomePage.objects.filter(depth=2, locale=locale).first()
    if home is None:
        welcome = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
        if welcome is not None:
            welcome.delete()
        home = HomePage(
            title="داشبورد شهروندان",
            slug="home",
            locale=locale,
            intro="<p>به سامانه میز خدمت خوش آمدید. خدمت مورد نیاز خود را از لیست خدمات بیابید، "
            "درخواست خود را ثبت کنید و با کد پیگیری آن را دنبال کنید.</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="میز خدمت"
        )
    else:
        site.root_page = home
        site.site_name = site.site_name or "میز خدمت"
        site.save()
    return home


def load(ctx):
    site = Site.objects.get(is_default_site=True)
    portal = PortalSettings.for_site(site)
    if not portal.head_message:
        portal.head_message = HEAD_MESSAGE
        portal.head_name = "ابوالفضل یاری"
        portal.head_title = "رئیس سازمان"
        portal.intro_notes = [("note", note) for note in INTRO_NOTES]
        portal.contact_phone = "۰۴۱-۳۳۳۳۰۰۰۰"
        portal.address = "میدان آزادی، ساختمان سازمان مدیریت و برنامه ریزی استان"
        portal.save()
    menu = DashboardMenu.for_site(site)
    if not menu.items.exists():
        for order, (label, slug, url) in enumerate(MENU):
            page = ctx.home.get_children().filter(slug=slug).first() if slug else None
            DashboardMenuItem.objects.create(
                menu=menu, sort_order=order, label=label, link_page=page, link_url=url
            )
    ctx.say("Dashboard menu and portal settings ready.")
