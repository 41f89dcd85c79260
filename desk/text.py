"""What staff type (notes, the official response): its limits and its stored form.

One rule for the admin's forms and the desk API alike: at most NOTE_MAX characters
for a note, RESPONSE_TEXT_MAX for a part of the official response; NUL refused (the
callers say so); stored in canonical form: Persian ی/ک, no bidi controls, no other
control or format characters (ZWNJ and ZWJ kept: they shape Persian words), lone
surrogates and private-use characters dropped, line endings unified, trimmed. Text
that a reader cannot see (only ZWNJ, marks or white space) is empty.
"""

from portal.persian import clean_typed_text, visible_length

NOTE_MAX = 4000
RESPONSE_TEXT_MAX = 10000


def staff_text(value):
    """The stored form of a note or response part ("" when nothing visible is left)."""
    text = clean_typed_text(value)
    return text if visible_length(text) else ""
