"""Persian text helpers: canonical storage form and display form.

Data is stored canonical (ASCII digits, Persian ی and ک, no bidi control
characters) and shown with Persian digits at display time. Imports nothing of ours.
"""

import re
import unicodedata

from django.utils.safestring import mark_safe

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"

_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
_ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})

# LRM, RLM, ALM, the embedding/override controls and the isolates.
BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")


def to_ascii_digits(value):
    """Persian and Arabic-Indic digits to ASCII; everything else unchanged."""
    return str(value).translate(_TO_ASCII)


def to_persian_digits(value):
    """ASCII and Arabic-Indic digits to Persian digits, for display."""
    return str(value).translate(_TO_PERSIAN)


def strip_bidi_controls(value):
    return _BIDI_RE.sub("", str(value))


def canonical_text(value):
    """The storage form of text a person typed: Persian letters, ASCII digits
    only where asked for separately, no bidi control characters, trimmed."""
    return strip_bidi_controls(str(value).translate(_ARABIC_LETTERS)).strip()


# Kept in typed text although invisible: ZWNJ and ZWJ shape Persian words.
JOINERS = "\u200c\u200d"


def _printable(ch):
    if ch in "\n\t" or ch in JOINERS:
        return True
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def clean_typed_text(value):
    """Free text a person typed, in canonical form: line endings unified, no control,
    format (bidi marks, word joiner, BOM, soft hyphen), surrogate, private-use or
    unassigned characters (newline, tab, ZWNJ and ZWJ kept), Persian ی/ک, trimmed."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return canonical_text("".join(ch for ch in text if _printable(ch)))


def visible_length(text):
    """How many characters a reader sees: the joiners are not counted, and a run of
    white space counts as one."""
    text = "".join(ch for ch in str(text) if ch not in JOINERS)
    return len(re.sub(r"\s+", " ", text).strip())


def canonical_digits(value):
    """The storage form of a number typed in any script: ASCII digits only,
    with white space, dashes and bidi marks removed."""
    text = strip_bidi_controls(to_ascii_digits(value))
    return re.sub(r"[\s\-_]", "", text)


# The largest value of the database's integer column: a larger number is no id, no
# page (and would overflow the query).
LARGEST_ID = 2**31 - 1


def small_number(value):
    """A positive whole number typed in any digit script, as an int, or None
    (superscripts, fractions, signs and numbers past LARGEST_ID are none)."""
    text = canonical_digits(value if value is not None else "")
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= LARGEST_ID else None


def group_thousands(number, separator="٬"):
    """12500000 -> ۱۲٬۵۰۰٬۰۰۰ (Persian digits, Persian thousands separator)."""
    return to_persian_digits(f"{int(number):,}".replace(",", separator))


# --- Search key ---------------------------------------------------------------
# One normalisation, applied to indexed text and to what a citizen types, so that
# Arabic keyboards, either digit script, diacritics and ZWNJ all meet in one form.
# Display text is never changed: only the search key.

ZWNJ = "\u200c"
HARAKAT = "".join(chr(code) for code in range(0x064B, 0x0660)) + "\u0670"  # incl. hamza marks 0654/0655
_SEARCH_REMOVED = HARAKAT + "\u0640\u200d\ufeff\u00ad" + BIDI_CONTROLS  # tatweel, ZWJ, BOM, soft hyphen
_SEARCH_LETTERS = {
    **dict.fromkeys("يىے", "ی"),
    **dict.fromkeys("كڪ", "ک"),
    **dict.fromkeys("ةۀہۂۃھە", "ه"),
    **dict.fromkeys("أإٱآ", "ا"),
    "ؤ": "و",
    "ئ": "ی",
}
_SEARCH_FOLD = str.maketrans(
    {
        **dict.fromkeys(_SEARCH_REMOVED, None),
        **_SEARCH_LETTERS,
        **dict(zip(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2, strict=True)),
    }
)


def fold_search_text(value):
    """Every search rule but ZWNJ: NFKC; harakat, hamza marks, tatweel, ZWJ, bidi marks,
    BOM and soft hyphen removed; Arabic letter forms to Persian; digits to ASCII; casefold.
    ZWNJ is kept so callers can see word joints (see search_key and search_words)."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return text.translate(_SEARCH_FOLD).casefold()


def _joint_forms(word):
    """A word joined by ZWNJ ("گذرنامه‌ی") -> its parts and its joined form."""
    parts = [part for part in word.split(ZWNJ) if part]
    if len(parts) > 1:
        return [*parts, "".join(parts)]
    return parts


def search_key(value):
    """The search key of a text: fold_search_text, then ZWNJ -> space with the joined
    form kept as well («گذرنامه‌ی» -> «گذرنامه ی گذرنامهی»), white space collapsed.
    Used on indexed text and on queries; idempotent."""
    return " ".join(form for word in fold_search_text(value).split() for form in _joint_forms(word))


_WORD_RE = re.compile(rf"(?:[^\W_]|{ZWNJ})+")
PERSIAN_SUFFIXES = ("هایی", "های", "ها", "ی")


def search_words(value):
    """A query as a list of words, each a list of alternative forms to match as a prefix.

    Each word is folded as in search_key; a ZWNJ-joined word may match its joined form
    or its stem (without a trailing one-letter or suffix part, «گذرنامه‌ی» -> «گذرنامه»);
    a word ending in a Persian suffix (ی, ها, های, هایی) may match its stem, so «گذرنامهی»,
    «گذرنامه‌ی» and «گذرنامه» find each other. Punctuation never reaches the engine."""
    words = []
    for word in _WORD_RE.findall(fold_search_text(value)):
        parts = [part for part in word.split(ZWNJ) if part]
        if not parts:
            continue
        joined = "".join(parts)
        forms = [joined]
        if len(parts) > 1:
            while len(parts) > 1 and (len(parts[-1]) == 1 or parts[-1] in PERSIAN_SUFFIXES):
                parts.pop()
            stem = " ".join(parts)
        else:
            stem = next(
                (joined[: -len(suffix)] for suffix in PERSIAN_SUFFIXES if joined.endswith(suffix)), joined
            )
            stem = stem if len(stem) >= 3 else joined
        if stem not in forms:
            forms.append(stem)
        words.append(forms)
    return words


# Editors' HTML and documents -------------------------------------------------------

# Tags are left alone (an href or an id keeps its digits), and so are character
# references (&#39;), web addresses and emails typed into the text.
_KEEP = re.compile(r"<[^>]*>|&#?\w+;|(?:https?://|www\.)\S+|\S+@\S+")
_KEEP_INSIDE = re.compile(r"<(code|pre|kbd|samp)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _persian_text(text):
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(to_persian_digits(text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(to_persian_digits(text[last:]))
    return "".join(out)


def persian_digits_html(html):
    """The HTML with every digit a reader sees in Persian; markup, character
    references, web addresses, emails and code untouched."""
    html = str(html or "")
    out, last = [], 0
    for match in _KEEP_INSIDE.finditer(html):
        out.append(_persian_text(html[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_persian_text(html[last:]))
    return mark_safe("".join(out))  # noqa: S308 - the input is already safe HTML; only digits change


def file_size_text(size):
    """A file size in Persian: 180 -> «۱۸۰ بایت», 1234 -> «۱٫۲ کیلوبایت», 150010 ->
    «۱۴۶ کیلوبایت», 1500000 -> «۱٫۴ مگابایت» (one decimal below ten, «٫» as the
    point; Django's filesizeformat says «KB» with a Latin point); None -> ""."""
    if size is None:
        return ""
    if size < 1024:
        return f"{to_persian_digits(size)} بایت"
    value, unit = (size / 1024, "کیلوبایت") if size < 1024 * 1024 else (size / (1024 * 1024), "مگابایت")
    text = f"{value:.1f}".removesuffix(".0") if value < 10 else str(round(value))
    return f"{to_persian_digits(text).replace('.', '٫')} {unit}"


def document_description(document):
    """«PDF، ۱۲۳ کیلوبایت»: the file's kind and size (the kind alone when the file
    cannot be read). The kind is isolated (FSI … PDI): otherwise the Persian digits
    after «PDF،» join its left-to-right run and the size reads before the kind."""
    parts = [f"\u2068{document.file_extension.upper()}\u2069"] if document.file_extension else []
    size = file_size_text(document.get_file_size())
    if size:
        parts.append(size)
    return "، ".join(parts)
