"""Demo catalog: the units and services of SPEC.md section 2 and a believable rest."""

from portal.demo import child_page, demo_document, publish_child

from .models import (
    Officer,
    OrgUnit,
    ServiceDocument,
    ServiceFAQ,
    ServiceIndexPage,
    ServiceInquiry,
    ServiceOfficer,
    ServicePage,
    ServiceWorkflowStep,
)

HEAD_UNIT = "حوزه ریاست سازمان"
RURAL = "دفتر برنامه ریزی و مدیریت توسعه روستایی"
EVALUATION = "دفتر ارزیابی عملکرد، بازرسی و پاسخگویی به شکایات"
STATISTICS = "دفتر آمار و اطلاعات"
TECHNICAL = "دفتر فنی و نظام فنی اجرایی"
SPATIAL = "دفتر آمایش و برنامه ریزی فضایی"
BUDGET = "دفتر بودجه و تملک دارایی های سرمایه ای"
COUNCIL = "دبیرخانه شورای برنامه ریزی و توسعه استان"
HR = "دفتر منابع انسانی و توسعه مدیریت"

UNITS = [
    (HEAD_UNIT, "طبقه پنجم، ساختمان مرکزی", "041-33330001"),
    (RURAL, "طبقه دوم، اتاق ۲۱۲", "041-33330212"),
    (EVALUATION, "طبقه سوم، اتاق ۳۰۵", "041-33330305"),
    (STATISTICS, "طبقه اول، اتاق ۱۰۸", "041-33330108"),
    (TECHNICAL, "طبقه چهارم، اتاق ۴۰۲", "041-33330402"),
    (SPATIAL, "طبقه دوم، اتاق ۲۲۰", "041-33330220"),
    (BUDGET, "طبقه سوم، اتاق ۳۱۴", "041-33330314"),
    (COUNCIL, "طبقه پنجم، اتاق ۵۰۳", "041-33330503"),
    (HR, "طبقه اول، اتاق ۱۱۶", "041-33330116"),
]

OFFICERS = [
    ("ابوالفضل یاری", "ریاست سازمان", HEAD_UNIT),
    ("مریم احمدی", "مدیر دفتر حوزه ریاست", HEAD_UNIT),
    ("رضا کریمی", "مدیر دفتر توسعه روستایی", RURAL),
    ("زهرا محمدی", "کارشناس دهیاری ها", RURAL),
    ("حسین رضایی", "مدیر دفتر ارزیابی عملکرد", EVALUATION),
    ("فاطمه حسینی", "کارشناس رسیدگی به شکایات", EVALUATION),
    ("علی موسوی", "مدیر دفتر آمار و اطلاعات", STATISTICS),
    ("نرگس جعفری", "کارشناس آمار", STATISTICS),
    ("محمد صادقی", "مدیر دفتر فنی", TECHNICAL),
    ("سارا نوری", "کارشناس تشخیص صلاحیت", TECHNICAL),
    ("مهدی قاسمی", "مدیر دفتر آمایش", SPATIAL),
    ("لیلا عباسی", "کارشناس سامانه اطلاعات مکانی", SPATIAL),
    ("امیر حیدری", "مدیر دفتر بودجه", BUDGET),
    ("سمیه رحیمی", "کارشناس تملک دارایی ها", BUDGET),
    ("جواد کاظمی", "دبیر شورای برنامه ریزی", COUNCIL),
    ("الهام یوسفی", "کارشناس دبیرخانه شورا", COUNCIL),
    ("بهروز اکبری", "مدیر دفتر منابع انسانی", HR),
    ("پریسا مرادی", "کارشناس آموزش", HR),
]

# (unit, slug, title, service ID, applicants, days, cost in rials or None, output, summary)
SERVICES = [
    (HEAD_UNIT, "public-meeting", "ملاقات مردمی با رئیس سازمان", "10012130001", "همه شهروندان", 10, None,
     "نوبت ملاقات", "ثبت درخواست ملاقات حضوری با رئیس سازمان در روزهای ملاقات مردمی."),
    (RURAL, "dehyari-establishment", "صدور مجوز تاسیس دهیاری های کشور", "10012131000",
     "شوراهای اسلامی روستا و بخشداری ها", 30, None, "مجوز تاسیس دهیاری",
     "بررسی شرایط روستا و صدور مجوز تاسیس دهیاری بر اساس قانون تاسیس دهیاری های خودکفا."),
    (RURAL, "dehyari-grading", "درجه بندی دهیاری های کشور", "10012132000", "دهیاری ها و بخشداری ها", 20, None,
     "حکم درجه بندی", "تعیین یا ارتقای درجه دهیاری بر اساس جمعیت، وسعت و درآمد روستا."),
    (EVALUATION, "municipal-evaluation", "نظارت و ارزیابی عملکرد شهرداریها و دهیاریهای کشور", "10012135000",
     "شهرداری ها، دهیاری ها و شهروندان", 25, None, "گزارش ارزیابی عملکرد",
     "ارزیابی دوره ای عملکرد شهرداری ها و دهیاری ها و اعلام نتیجه به دستگاه های ذی ربط."),
    (EVALUATION, "complaints", "رسیدگی به شکایات مردمی از دستگاه های اجرایی", "10012135100", "همه شهروندان", 15,
     None, "پاسخ مکتوب شکایت", "ثبت و پیگیری شکایت شهروندان از عملکرد دستگاه های اجرایی استان."),
    (EVALUATION, "satisfaction-survey", "سنجش رضایت مردم از خدمات دستگاه ها", "10012135200",
     "دستگاه های اجرایی استان", 20, None, "گزارش سنجش رضایت",
     "طراحی و اجرای پیمایش رضایت ارباب رجوع برای دستگاه های اجرایی."),
    (STATISTICS, "statistical-data", "ارائه داده های آماری استان", "10012136000",
     "پژوهشگران، دانشجویان و دستگاه ها", 7, 500000, "جداول و گزارش آماری",
     "ارائه داده ها و نشریات آماری رسمی استان بر اساس درخواست."),
    (STATISTICS, "survey-permit", "صدور مجوز اجرای طرح های آمارگیری", "10012136100",
     "دستگاه های اجرایی و مؤسسات پژوهشی", 15, None, "مجوز آمارگیری",
     "بررسی پرسشنامه و روش نمونه گیری طرح های آمارگیری و صدور مجوز اجرا."),
    (STATISTICS, "statistician-registry", "ثبت اطلاعات آمارگیران", "10012136200", "آمارگیران و پرسشگران", 5, None,
     "کارت آمارگیری", "ثبت مشخصات و سوابق آمارگیران برای همکاری در طرح های آماری استان."),
    (TECHNICAL, "contractor-qualification", "تشخیص صلاحیت پیمانکاران", "10012137000",
     "شرکت های پیمانکاری", 30, 3500000, "گواهینامه صلاحیت پیمانکاری",
     "بررسی مدارک، سوابق و توان فنی شرکت ها و صدور گواهینامه صلاحیت پیمانکاری."),
    (TECHNICAL, "consultant-qualification", "تشخیص صلاحیت مشاوران", "10012137100", "شرکت های مهندسی مشاور", 30,
     3500000, "گواهینامه صلاحیت مشاوره", "بررسی مدارک و صدور گواهینامه صلاحیت شرکت های مهندسی مشاور."),
    (TECHNICAL, "contract-disputes", "رسیدگی به اختلافات قراردادی پیمان", "10012137200",
     "پیمانکاران، مشاوران و کارفرمایان", 45, None, "رأی شورای فنی",
     "رسیدگی به اختلافات ناشی از اجرای قراردادهای پیمانکاری در شورای فنی استان."),
    (TECHNICAL, "price-list", "ارائه فهارس بها و ضوابط فنی", "10012137300", "مهندسان و پیمانکاران", 3, None,
     "فهرست بها", "ارائه فهرست های بهای واحد پایه و بخشنامه های نظام فنی اجرایی."),
    (SPATIAL, "base-maps", "ارائه نقشه های پایه استان", "10012138000", "دستگاه ها، مهندسان و پژوهشگران", 10,
     1200000, "نقشه رقومی", "ارائه نقشه های پایه و لایه های اطلاعات مکانی استان."),
    (SPATIAL, "spatial-conformity", "صدور گواهی انطباق طرح ها با سند آمایش استان", "10012138100",
     "دستگاه های اجرایی و سرمایه گذاران", 20, None, "گواهی انطباق",
     "بررسی انطباق طرح های توسعه ای با سند آمایش سرزمین استان."),
    (BUDGET, "capital-agreement", "مبادله موافقت نامه طرح های تملک دارایی", "10012139000",
     "دستگاه های اجرایی استان", 15, None, "موافقت نامه مبادله شده",
     "بررسی و مبادله موافقت نامه طرح های تملک دارایی های سرمایه ای استانی."),
    (BUDGET, "credit-allocation", "تخصیص اعتبارات هزینه ای دستگاه ها", "10012139100", "دستگاه های اجرایی استان", 10,
     None, "ابلاغ تخصیص", "بررسی درخواست تخصیص و ابلاغ اعتبارات هزینه ای."),
    (BUDGET, "project-progress", "ثبت پیشرفت طرح های عمرانی", "10012139200", "دستگاه های اجرایی استان", 5, None,
     "گزارش پیشرفت", "ثبت و تأیید پیشرفت فیزیکی و ریالی طرح های عمرانی."),
    (COUNCIL, "council-project", "طرح موضوع در شورای برنامه ریزی و توسعه استان", "10012140000",
     "دستگاه ها و فرمانداری ها", 30, None, "مصوبه شورا",
     "دریافت و کارشناسی درخواست ها برای طرح در شورای برنامه ریزی و توسعه استان."),
    (COUNCIL, "council-inquiry", "پاسخ به استعلام مصوبات شورا", "10012140100", "دستگاه ها و شهروندان", 7, None,
     "پاسخ استعلام", "پاسخ به استعلام درباره مصوبات شورای برنامه ریزی و توسعه استان."),
    (HR, "training-certificate", "صدور گواهی آموزش ضمن خدمت", "10012141000", "کارکنان دستگاه های اجرایی", 7,
     150000, "گواهی آموزشی", "صدور گواهی دوره های آموزش ضمن خدمت کارکنان دولت."),
    (HR, "manager-assessment", "ارزیابی شایستگی مدیران", "10012141100", "دستگاه های اجرایی استان", 30, None,
     "گزارش کانون ارزیابی", "ارزیابی شایستگی نامزدهای تصدی پست های مدیریتی در کانون ارزیابی."),
]  # fmt: skip

WORKFLOW = [
    ("ثبت درخواست", "ثبت درخواست و دریافت کد پیگیری توسط متقاضی."),
    ("بررسی اولیه مدارک", "کنترل کامل بودن مدارک و در صورت نقص، اعلام به متقاضی."),
    ("بررسی کارشناسی", "بررسی موضوع توسط کارشناس واحد و انجام استعلام های لازم."),
    ("تأیید مدیر واحد", "تأیید نتیجه بررسی توسط مدیر واحد سازمانی."),
    ("صدور پاسخ", "صدور پاسخ رسمی و اعلام نتیجه به متقاضی با پیامک."),
]


def faqs_for(title, days, cost):
    cost_answer = (
        "این خدمت رایگان است." if cost is None else "هزینه خدمت در بخش «هزینه ارائه خدمات» آمده است."
    )
    return [
        (f"مدت زمان انجام «{title}» چقدر است؟", f"حداکثر {days} روز کاری پس از تکمیل مدارک."),
        ("آیا برای این خدمت باید هزینه پرداخت کنم؟", cost_answer),
        (
            "چگونه از نتیجه درخواست خود مطلع شوم؟",
            "با کد پیگیری در بخش «نظرسنجی و پیگیری درخواست» یا از پیامک.",
        ),
    ]


def load(ctx):
    units = {}
    for order, (name, address, phone) in enumerate(UNITS):
        unit = OrgUnit.objects.filter(name=name, locale=ctx.locale).first()
        if unit is None:
            unit = OrgUnit.objects.create(
                name=name, address=address, phone=phone, sort_order=order, locale=ctx.locale
            )
        units[name] = unit
    officers = {}
    for full_name, position, unit_name in OFFICERS:
        officer = Officer.objects.filter(full_name=full_name, locale=ctx.locale).first()
        if officer is None:
            officer = Officer.objects.create(
                full_name=full_name, position=position, unit=units[unit_name], locale=ctx.locale
            )
        officers.setdefault(unit_name, []).append(officer)

    index = child_page(ctx.home, ServiceIndexPage, "services") or publish_child(
        ctx.home,
        ServiceIndexPage(
            title="لیست خدمات",
            slug="services",
            intro="<p>خدمات سازمان به تفکیک واحد سازمانی. برای دیدن جزئیات هر خدمت روی نام آن بزنید.</p>",
        ),
    )
    ctx.pages["services"] = index

    guide = demo_document(
        "راهنمای ثبت درخواست در سامانه میز خدمت",
        "rahnama-sabt-darkhast.pdf",
        [
            "این راهنما مراحل ثبت درخواست در سامانه میز خدمت را شرح می‌دهد.",
            "۱. واحد سازمانی و نوع خدمت را انتخاب کنید.",
            "۲. قوانین و مقررات خدمت را مطالعه و تأیید کنید.",
            "۳. مراحل شش‌گانه را کامل کنید و کد پیگیری را نگه دارید.",
        ],
    )
    for unit_name, slug, title, service_id, applicants, days, cost, output, summary in SERVICES:
        if ServicePage.objects.filter(service_id=service_id, locale=ctx.locale).exists():
            continue
        unit = units[unit_name]
        page = ServicePage(
            title=title,
            slug=slug,
            unit=unit,
            service_id=service_id,
            summary=summary,
            accepts_online_requests=True,
            applicants=applicants,
            delivery_channel=ServicePage.Channel.MIXED,
            processing_days=days,
            visits_required=1 if cost else 0,
            service_output=output,
            # Objections to a response go to the office that hears complaints.
            objection_unit=units[EVALUATION],
            objection_days=10,
            is_free=cost is None,
            cost_rials=cost,
            cost_legal_basis=""
            if cost is None
            else "تعرفه مصوب شورای برنامه ریزی و توسعه استان، مصوبه ۱۴۰۳/۱۲/۱۵",
            rules_text="<p>ارائه این خدمت بر اساس قوانین و آیین‌نامه‌های مرتبط انجام می‌شود. "
            "متقاضی باید اطلاعات درست وارد کند؛ مسئولیت صحت مدارک با متقاضی است.</p>",
            description=f"<p>{summary}</p><p>متقاضی درخواست خود را در سامانه ثبت می‌کند، "
            f"{unit_name} آن را بررسی می‌کند و نتیجه حداکثر ظرف {days} روز کاری اعلام می‌شود.</p>",
        )
        page.inquiries = [
            ServiceInquiry(
                title="استعلام هویت متقاضی", authority="سازمان ثبت احوال کشور", note="به صورت برخط"
            ),
            ServiceInquiry(title="استعلام سوابق مرتبط", authority=unit_name, note="در صورت نیاز"),
        ]
        page.workflow_steps = [ServiceWorkflowStep(title=t, description=d) for t, d in WORKFLOW]
        page.faqs = [ServiceFAQ(question=q, answer=a) for q, a in faqs_for(title, days, cost)]
        page.responsible_officers = [
            ServiceOfficer(officer=officer, responsibility="پاسخگویی به متقاضیان")
            for officer in officers.get(unit_name, [])[:2]
        ]
        page.documents = [ServiceDocument(document=guide, title="راهنمای ثبت درخواست")]
        publish_child(index, page)
    ctx.say(f"Catalog: {len(units)} units, {ServicePage.objects.filter(locale=ctx.locale).count()} services.")
