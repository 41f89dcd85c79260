"""Demo content pages: information packages, rules, FAQ, required forms, form pages."""

import datetime

from portal.demo import child_page, demo_document, publish_child
from services.models import ServicePage, ServiceRuleLink

from .models import (
    FAQPage,
    FormField,
    FormPage,
    InfoPackageIndexPage,
    InfoPackagePage,
    RequiredFormItem,
    RequiredFormsPage,
    RulesIndexPage,
    RulesPage,
)

RULES = [
    ("dehyari-law", "قانون تاسیس دهیاری های خودکفا در روستاهای کشور", RulesPage.Kind.LAW, "مجلس شورای اسلامی",
     "۱۳۷۷/۴/۱۴", datetime.date(1998, 7, 5), True,
     "قانون تاسیس دهیاری ها و وظایف و اختیارات آن ها در روستاهای کشور.",
     ["dehyari-establishment", "dehyari-grading"]),
    ("dehyari-grading-bylaw", "آیین نامه درجه بندی دهیاری ها", RulesPage.Kind.REGULATION, "هیئت وزیران",
     "۴۵۱۲۳/ت۲۸۹", datetime.date(2019, 3, 11), True,
     "معیارهای جمعیت، وسعت و درآمد برای تعیین درجه دهیاری ها.", ["dehyari-grading"]),
    ("complaints-bylaw", "آیین نامه رسیدگی به شکایات مردمی", RulesPage.Kind.REGULATION, "سازمان اداری و استخدامی کشور",
     "۱۲۳۴۵", datetime.date(2021, 4, 21), True,
     "نحوه ثبت، رسیدگی و پاسخ به شکایات مردم از دستگاه های اجرایی.",
     ["complaints", "municipal-evaluation", "satisfaction-survey"]),
    ("qualification-bylaw", "آیین نامه تشخیص صلاحیت پیمانکاران و مشاوران", RulesPage.Kind.REGULATION,
     "سازمان برنامه و بودجه کشور", "۸۹۱۲۳", datetime.date(2020, 6, 21), True,
     "شرایط و ضوابط رتبه بندی و تشخیص صلاحیت شرکت های پیمانکاری و مشاوره.",
     ["contractor-qualification", "consultant-qualification", "contract-disputes", "price-list"]),
    ("statistics-law", "قانون مرکز آمار ایران", RulesPage.Kind.LAW, "مجلس شورای اسلامی", "۱۳۵۳",
     datetime.date(1974, 6, 1), True, "وظایف نظام آماری کشور و ضوابط انتشار آمار رسمی.",
     ["statistical-data", "survey-permit", "statistician-registry"]),
    ("old-budget-circular", "بخشنامه بودجه سال ۱۴۰۰ استان", RulesPage.Kind.CIRCULAR, "سازمان مدیریت و برنامه ریزی استان",
     "۱۴۰۰/۱۰۰", datetime.date(2021, 1, 10), False,
     "بخشنامه بودجه سال ۱۴۰۰ که با ابلاغ بخشنامه جدید منسوخ شده است.",
     ["capital-agreement", "credit-allocation", "project-progress"]),
]  # fmt: skip

PACKAGES = [
    ("request-guide", "راهنمای ثبت و پیگیری درخواست", None,
     "آنچه پیش از ثبت درخواست باید بدانید و چگونه آن را پیگیری کنید.",
     ["پیش از ثبت درخواست، شرح خدمت و قوانین آن را در لیست خدمات بخوانید.",
      "پس از ثبت نهایی، کد پیگیری ۱۶ رقمی به شما نمایش داده و پیامک می‌شود.",
      "با کد پیگیری می‌توانید مراحل گردش کار و پاسخ رسمی درخواست را ببینید."]),
    ("dehyari-package", "بسته اطلاع رسانی تاسیس دهیاری", "dehyari-establishment",
     "شرایط، مدارک و مراحل صدور مجوز تاسیس دهیاری.",
     ["روستای متقاضی باید حداقل جمعیت تعیین شده در قانون را داشته باشد.",
      "درخواست توسط شورای اسلامی روستا و از طریق بخشداری ارسال می‌شود."]),
    ("qualification-package", "بسته اطلاع رسانی تشخیص صلاحیت", "contractor-qualification",
     "مدارک لازم و زمان بندی تشخیص صلاحیت پیمانکاران و مشاوران.",
     ["مدارک ثبتی شرکت، سوابق کاری و مدارک کارکنان فنی را آماده کنید.",
      "هزینه بررسی پرونده بر اساس تعرفه مصوب دریافت می‌شود."]),
    ("statistics-package", "بسته اطلاع رسانی خدمات آماری", "statistical-data",
     "نحوه دریافت داده های آماری و مجوز طرح های آمارگیری.",
     ["داده‌های منتشرشده رایگان است؛ داده‌های پردازشی طبق تعرفه ارائه می‌شود."]),
]  # fmt: skip

FAQ_GROUPS = [
    ("ثبت درخواست", [
        ("کد پیگیری چیست؟", "یک شماره ۱۶ رقمی که پس از ثبت نهایی درخواست دریافت می‌کنید."),
        ("حداکثر اندازه فایل پیوست چقدر است؟", "هر فایل حداکثر ۸۰ کیلوبایت و حداکثر ۲ فایل."),
        ("اگر هنگام ثبت درخواست خطا رخ داد چه کنم؟", "عملیات ثبت را از ابتدا انجام دهید."),
    ]),
    ("پیگیری و نظرسنجی", [
        ("چگونه درخواستم را پیگیری کنم؟", "از منوی «نظرسنجی و پیگیری درخواست» و با کد پیگیری."),
        ("پاسخ رسمی را کجا ببینم؟", "پس از تأیید هویت در صفحه پیگیری درخواست، قابل مشاهده و چاپ است."),
    ]),
    ("خدمات", [
        ("شناسه خدمت چیست؟", "شناسه ملی ۱۱ رقمی هر خدمت در شناسنامه خدمات دولت."),
        ("آیا همه خدمات برخط ارائه می‌شوند؟", "بیشتر خدمات؛ در صفحه هر خدمت شیوه ارائه آمده است."),
    ]),
]  # fmt: skip

REQUIRED_FORMS = [
    (None, "فرم درخواست عمومی", "form-general.pdf", "برای خدماتی که فرم ویژه ندارند."),
    ("dehyari-establishment", "فرم درخواست تاسیس دهیاری", "form-dehyari.pdf", "با امضای شورای اسلامی روستا."),
    (
        "contractor-qualification",
        "فرم اطلاعات شرکت متقاضی صلاحیت",
        "form-contractor.pdf",
        "همراه مدارک ثبتی.",
    ),
    ("contractor-qualification", "فرم سوابق کارکنان فنی", "form-staff.pdf", "برای هر یک از کارکنان فنی."),
    ("statistical-data", "فرم درخواست داده های آماری", "form-statistics.pdf", "مشخصات داده و کاربرد آن."),
    ("base-maps", "فرم درخواست نقشه های پایه", "form-maps.pdf", "محدوده و مقیاس نقشه را بنویسید."),
]

FORM_PAGES = [
    ("map-request", "فرم درخواست نقشه", "نقشه‌های پایه و لایه‌های اطلاعات مکانی استان را از اینجا درخواست کنید.",
     "<p>کارشناسان واحد اطلاعات مکانی درخواست شما را ظرف ۱۰ روز کاری بررسی می‌کنند.</p>"
     "<p>برای هماهنگی دریافت نقشه با تلفن همراهی که نوشته‌اید با شما تماس می‌گیرند.</p>", [
        ("نام و نام خانوادگی", "singleline", True, ""),
        ("تلفن همراه", "singleline", True, ""),
        ("نوع نقشه", "dropdown", True, "نقشه توپوگرافی\nنقشه کاربری اراضی\nنقشه تقسیمات کشوری"),
        ("محدوده مورد نیاز", "multiline", True, ""),
    ]),
    ("rules-form", "فرم قوانین و مقررات", "پیشنهاد یا پرسش خود را درباره قوانین و مقررات خدمات ثبت کنید.",
     "<p>کارشناسان حقوقی سازمان پیشنهاد یا پرسش شما را بررسی می‌کنند.</p>"
     "<p>اگر ایمیل نوشته باشید، پاسخ را ظرف ۱۵ روز کاری به همان نشانی می‌فرستند.</p>", [
        ("نام و نام خانوادگی", "singleline", True, ""),
        ("ایمیل", "email", False, ""),
        ("عنوان قانون یا مقرره", "singleline", True, ""),
        ("پیشنهاد یا پرسش", "multiline", True, ""),
    ]),
    ("statisticians", "فرم اطلاعات آمارگیران", "آمارگیران و پرسشگران برای همکاری در طرح‌های آماری ثبت نام کنند.",
     "<p>اطلاعات شما در بانک آمارگیران استان ثبت می‌شود.</p>"
     "<p>پیش از هر طرح آمارگیری، از میان ثبت‌نام‌شدگان برای مصاحبه با تلفن همراه دعوت می‌شود.</p>", [
        ("نام و نام خانوادگی", "singleline", True, ""),
        ("شماره ملی", "singleline", True, ""),
        ("تلفن همراه", "singleline", True, ""),
        ("مدرک تحصیلی", "dropdown", True, "دیپلم\nکاردانی\nکارشناسی\nکارشناسی ارشد و بالاتر"),
        ("نوع همکاری", "radio", True, "تمام‌وقت\nپاره‌وقت\nفقط در طرح‌های کوتاه"),
        ("سابقه آمارگیری (سال)", "number", False, ""),
    ]),
]  # fmt: skip


def load(ctx):
    home = ctx.home
    services = {page.slug: page for page in ServicePage.objects.filter(locale=ctx.locale)}

    rules_index = child_page(home, RulesIndexPage, "rules") or publish_child(
        home,
        RulesIndexPage(
            title="قوانین و مقررات",
            slug="rules",
            intro="<p>قوانین، آیین‌نامه‌ها و بخشنامه‌هایی که خدمات سازمان بر اساس آن‌ها ارائه می‌شود.</p>",
        ),
    )
    for slug, title, kind, authority, number, effective, in_force, summary, service_slugs in RULES:
        if child_page(rules_index, RulesPage, slug):
            continue
        rules_page = publish_child(
            rules_index,
            RulesPage(
                title=title,
                slug=slug,
                kind=kind,
                approving_authority=authority,
                reference_number=number,
                effective_date=effective,
                in_force=in_force,
                summary=summary,
                body=[
                    ("heading", "متن خلاصه"),
                    ("paragraph", f"<p>{summary}</p>"),
                    ("callout", {"title": "توجه", "text": "متن کامل در مرجع رسمی تصویب منتشر شده است."}),
                ],
            ),
        )
        for service_slug in service_slugs:
            service = services.get(service_slug)
            if service is not None:
                ServiceRuleLink.objects.get_or_create(page=service, rules_page=rules_page)

    info_index = child_page(home, InfoPackageIndexPage, "info") or publish_child(
        home,
        InfoPackageIndexPage(
            title="بسته اطلاع رسانی",
            slug="info",
            intro="<p>بسته‌های اطلاع رسانی، شرایط و مراحل دریافت خدمات را توضیح می‌دهند.</p>",
        ),
    )
    for slug, title, service_slug, summary, paragraphs in PACKAGES:
        if child_page(info_index, InfoPackagePage, slug):
            continue
        publish_child(
            info_index,
            InfoPackagePage(
                title=title,
                slug=slug,
                summary=summary,
                service=services.get(service_slug),
                body=[("heading", "آنچه باید بدانید")]
                + [("paragraph", f"<p>{text}</p>") for text in paragraphs],
            ),
        )

    if not child_page(home, FAQPage, "faq"):
        publish_child(
            home,
            FAQPage(
                title="پرسش و پاسخ",
                slug="faq",
                intro="<p>پاسخ پرسش‌های رایج شهروندان درباره سامانه میز خدمت.</p>",
                groups=[
                    (
                        "group",
                        {
                            "title": group,
                            "questions": [{"question": q, "answer": f"<p>{a}</p>"} for q, a in items],
                        },
                    )
                    for group, items in FAQ_GROUPS
                ],
            ),
        )

    if not child_page(home, RequiredFormsPage, "required-forms"):
        forms_page = RequiredFormsPage(
            title="فرمهای مورد نیاز جهت دریافت خدمات",
            slug="required-forms",
            intro="<p>فرم‌های مورد نیاز هر خدمت را دریافت، تکمیل و هنگام ثبت درخواست پیوست کنید.</p>",
        )
        forms_page.forms = [
            RequiredFormItem(
                service=services.get(service_slug) if service_slug else None,
                title=title,
                description=description,
                document=demo_document(title, filename, [description, "نام و نام خانوادگی:", "شماره ملی:"]),
            )
            for service_slug, title, filename, description in REQUIRED_FORMS
        ]
        publish_child(home, forms_page)

    for slug, title, intro, next_steps, fields in FORM_PAGES:
        if child_page(home, FormPage, slug):
            continue
        form_page = FormPage(
            title=title,
            slug=slug,
            intro=f"<p>{intro}</p>",
            thank_you_text=next_steps,
        )
        form_page.form_fields = [
            FormField(
                label=label, field_type=field_type, required=required, choices=choices, sort_order=order
            )
            for order, (label, field_type, required, choices) in enumerate(fields)
        ]
        publish_child(home, form_page)
    ctx.say("Content pages ready.")
