"""Labels of SPEC.md the pages must show, written once for every test."""

# The nine facet buttons of a service (SPEC.md section 2), in order.
FACET_LABELS = [
    "شناسنامه خدمات",
    "استعلامات",
    "گردش کار",
    "مسؤل خدمات",
    "هزینه ارائه خدمات",
    "پاسخ به سوالات",
    "قوانین/مقررات",
    "مستندات",
    "شرح خدمت",
]
