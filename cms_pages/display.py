"""How editors' rich text is shown to citizens: expanded (links, documents) and with
Persian digits (portal.persian.persian_digits_html)."""

from wagtail.rich_text import expand_db_html

from portal.persian import persian_digits_html


def rich_text_html(value):
    """A rich text field's database HTML expanded (links, documents) with Persian digits."""
    return persian_digits_html(expand_db_html(value or ""))
