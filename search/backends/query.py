"""A citizen's query as a modelsearch query tree, normalised like the index."""

from modelsearch.query import And, Or, PlainText

from portal.persian import search_words

# Shorter forms match whole words only: «اب» must not find every word starting so.
MIN_PREFIX_LENGTH = 3


class Prefix(PlainText):
    """One word matched as a prefix («گذرنامه» finds «گذرنامهی»). A PlainText, so the
    ranking code of every database backend treats it like a word."""

    def __repr__(self):
        return f"<Prefix {self.query_string!r}>"


def _form_query(form):
    terms = [Prefix(term) if len(term) >= MIN_PREFIX_LENGTH else PlainText(term) for term in form.split()]
    return terms[0] if len(terms) == 1 else And(terms)


def _combine(cls, queries):
    return queries[0] if len(queries) == 1 else cls(queries)


def build_query(text, operator=None):
    """Words of the query (each: any of its forms, see search_words), all required unless
    operator is "or". None when nothing searchable is left."""
    words = [_combine(Or, [_form_query(form) for form in forms]) for forms in search_words(text)]
    if not words:
        return None
    return _combine(Or if (operator or "and").lower() == "or" else And, words)
