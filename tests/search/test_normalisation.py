"""One table per rule of the search key (portal.persian.search_key), and idempotence."""

import pytest

from portal.persian import fold_search_text, search_key, search_words

RULES = {
    "nfkc": [
        ("ﻛﺎﺭﺕ", "کارت"),  # Arabic presentation forms
        ("ＡＢＣ１２", "abc12"),  # full-width Latin and digits
        ("ﷲ", "الله"),
    ],
    "harakat removed": [
        ("مُحَمَّد", "محمد"),
        ("كِتابٌ", "کتاب"),
        ("رَحْمَةً", "رحمه"),
        ("هذٰا", "هذا"),  # superscript alef U+0670
    ],
    "tatweel removed": [("مـــلی", "ملی")],
    "zwj removed": [("ک\u200dارت", "کارت")],
    "direction marks removed": [
        ("\u200eکارت\u200f", "کارت"),
        ("\u061cملی", "ملی"),
        ("\u202aکد\u202c \u202b1\u202e", "کد 1"),
        ("\u2066کارت\u2067\u2068\u2069", "کارت"),
    ],
    "bom and soft hyphen removed": [("\ufeffکارت", "کارت"), ("pass\u00adport", "passport")],
    "yeh": [("ملي", "ملی"), ("موسى", "موسی"), ("ے", "ی")],
    "kaf": [("كارت", "کارت"), ("ڪار", "کار")],
    "heh": [
        ("مدرسة", "مدرسه"),
        ("خانۀ", "خانه"),  # ۀ does not decompose to ه
        ("ہ ۂ ۃ ھ ە", "ه ه ه ه ه"),
    ],
    "alef": [("أحمد", "احمد"), ("إسلام", "اسلام"), ("ٱلله", "الله"), ("آب", "اب")],
    "waw with hamza": [("مؤسسه", "موسسه")],
    "yeh with hamza": [("مسئول", "مسیول")],
    "hamza marks removed": [("ی\u0654", "ی"), ("ا\u0655", "ا")],
    "digits": [("۱۴۰۳", "1403"), ("١٤٠٣", "1403"), ("۱۰۰۱۲۱۳۵۰۰۰", "10012135000")],
    "zwnj to space with the joined form": [
        ("گذرنامه\u200cی", "گذرنامه ی گذرنامهی"),
        ("می\u200cخواهم بروم", "می خواهم میخواهم بروم"),
        ("\u200cکارت\u200c", "کارت"),
    ],
    "casefold latin": [("ABC Passport", "abc passport"), ("STRASSE ß", "strasse ss")],
    "white space collapsed": [("  کارت \t\n ملی  ", "کارت ملی"), ("کارت\u00a0ملی", "کارت ملی")],
}
CASES = [(rule, raw, key) for rule, rows in RULES.items() for raw, key in rows]


@pytest.mark.parametrize(("rule", "raw", "key"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_search_key_rule(rule, raw, key):
    assert search_key(raw) == key


@pytest.mark.parametrize(("rule", "raw", "key"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_search_key_is_idempotent(rule, raw, key):
    once = search_key(raw)
    assert search_key(once) == once


def test_display_text_helpers_are_unchanged():
    from portal.persian import canonical_text, to_persian_digits

    assert canonical_text("كارت ملي") == "کارت ملی"
    assert to_persian_digits("1403") == "۱۴۰۳"


def test_fold_keeps_zwnj_for_the_query_builder():
    assert fold_search_text("گذرنامه\u200cی") == "گذرنامه\u200cی"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("گذرنامه\u200cی", [["گذرنامهی", "گذرنامه"]]),
        ("گذرنامهی", [["گذرنامهی", "گذرنامه"]]),
        ("گذرنامه", [["گذرنامه"]]),
        ("آب\u200cهای معدنی", [["ابهای", "اب"], ["معدنی", "معدن"]]),
        ("كارت ملي", [["کارت"], ["ملی"]]),
        ('«کارت»؟ * " OR :', [["کارت"], ["or"]]),
        ("", []),
    ],
)
def test_search_words(query, words):
    assert search_words(query) == words
