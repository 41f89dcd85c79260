"""The survey (پرسشنامه): the seeded questions of SPEC.md section 4 and scoring.

Answers are 1 (خیلی کم) … 5 (خیلی زیاد). A reversed question (9, 11, 14, 15 in
the seed) asks about something bad, so its answer is turned round (6 - answer).
Each axis score and the overall score is the mean of the (turned) answers
mapped to 0–100: (mean - 1) / 4 * 100.
"""

from decimal import ROUND_HALF_UP, Decimal

SCALE = [(1, "خیلی کم"), (2, "کم"), (3, "متوسط"), (4, "زیاد"), (5, "خیلی زیاد")]

AXES = [
    "شفافیت فرایندی",
    "پاسخگویی و مسوولیت پذیری",
    "زمان فرایند",
    "نظام مند بودن فرایند",
    "کلیت فرایند",
]

# (number, axis index, text, reversed)
QUESTIONS = [
    (1, 0, "نحوه اطلاع رسانی درباره مراحل انجام کار", False),
    (2, 0, "اطلاع رسانی درباره مدارک مورد نیاز برای ارائه خدمات", False),
    (3, 0, "انجام کار بر اساس ضوابط اداری و عدم دخالت قضاوت های شخصی", False),
    (4, 0, "نحوه رفتار و پاسخگویی مسئول مربوطه", False),
    (5, 1, "امکانات رفاهی و فضای ارائه خدمات", False),
    (6, 1, "به موقع بودن و شفاف بودن رسیدگی به شکایات، نظرات و پیشنهادهای شما", False),
    (7, 1, "راهنمایی و پاسخگویی کارکنان به مراجعین و پیگیری وضعیت درخواست ها", False),
    (8, 1, "دقت کارکنان در انجام کار به گونه ای که نیاز به دوباره کاری نباشد", False),
    (9, 1, "تعداد دفعات مراجعه به سازمان برای دریافت خدمت", True),
    (10, 2, "تعهد و پایبندی به زمان ارائه خدمت در فرم «رسید خدمت»", False),
    (11, 2, "میزان مراجعه به قسمت ها و بخش های مختلف برای دریافت خدمت", True),
    (12, 2, "نظم، ترتیب و سهولت دسترسی به افراد و امکانات برای دریافت خدمت", False),
    (13, 3, "دریافت یک باره مدارک و اطلاعات به صورت الکترونیکی یا حضوری در هنگام مراجعه", False),
    (
        14,
        3,
        "ارائه اطلاعات تکراری (کپی شناسنامه، کارت ملی، ارائه چندباره اطلاعات) به واحدهای مختلف",
        True,
    ),
    (15, 3, "احساس نیاز به سفارش و توصیه برای دریافت خدمت", True),
    (16, 4, "احساس رضایت از کل خدمت دریافت شده", False),
]


def seed(axis_model, question_model):
    """Create the seeded axes and questions where missing (idempotent)."""
    axes = []
    for order, title in enumerate(AXES, start=1):
        axis, _ = axis_model.objects.get_or_create(title=title, defaults={"sort_order": order})
        axes.append(axis)
    for number, axis_index, text, is_reversed in QUESTIONS:
        question_model.objects.get_or_create(
            number=number, defaults={"axis": axes[axis_index], "text": text, "reversed": is_reversed}
        )


def _percent(values):
    mean = Decimal(sum(values)) / Decimal(len(values))
    return ((mean - 1) / 4 * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def score(questions, answers):
    """(axis scores {axis title: float}, overall Decimal) for answers {number: 1..5}."""
    by_axis = {}
    turned = []
    for question in questions:
        value = int(answers[question.number])
        if question.reversed:
            value = 6 - value
        by_axis.setdefault(question.axis.title, []).append(value)
        turned.append(value)
    axis_scores = {title: float(_percent(values)) for title, values in by_axis.items()}
    return axis_scores, _percent(turned)
