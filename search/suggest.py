"""An in-memory prefix index for autocomplete.

Built from (search key of title [+ service ID], is_service, suggestion) entries, in
page-id order. It answers like the database backend's autocomplete over the same keys:
every typed word (any of its forms from portal.persian.search_words) must match, and
every term of a form matches as a prefix of some word of the key; the best `limit`
matches first (more matching word occurrences first, then the newest page, as
ts_rank and the backend's id ordering do)."""

import bisect
import heapq
import re

from portal.persian import search_words

_TOKEN_RE = re.compile(r"[^\W_]+")
_LAST = "\U0010ffff"
WIDE = 256  # words under one prefix beyond which its postings are merged at build time


class SuggestionIndex:
    def __init__(self, entries):
        postings = {}
        self.suggestions = []
        self.is_service = []
        for doc, (key, is_service, suggestion) in enumerate(entries):
            self.suggestions.append(suggestion)
            self.is_service.append(is_service)
            for token in _TOKEN_RE.findall(key):
                counts = postings.setdefault(token, {})
                counts[doc] = counts.get(doc, 0) + 1
        self.tokens = sorted(postings)
        self.postings = [postings[token] for token in self.tokens]
        # Prefixes that start very many words (the digits of service IDs) are merged now,
        # like an edge n-gram index, instead of at every keystroke.
        self.wide = {}
        self._merge_wide(0, len(self.tokens), 0)

    def __len__(self):
        return len(self.suggestions)

    def _prefix(self, term):
        """{doc: occurrences} of the words starting with `term`."""
        start = bisect.bisect_left(self.tokens, term)
        stop = bisect.bisect_right(self.tokens, term + _LAST, start)
        if stop - start == 1:
            return self.postings[start]
        if stop - start > WIDE:
            return self.wide[term]
        return _merge(self.postings[start:stop])

    def _merge_wide(self, start, stop, length):
        """Merged postings of every prefix longer than `length` that starts more than
        WIDE words of tokens[start:stop] (all sharing their first `length` characters)."""
        tokens = self.tokens
        n = start
        while n < stop:
            if len(tokens[n]) <= length:
                n += 1
                continue
            prefix = tokens[n][: length + 1]
            end = bisect.bisect_right(tokens, prefix + _LAST, n, stop)
            if end - n > WIDE:
                self.wide[prefix] = _merge(self.postings[n:end])
                self._merge_wide(n, end, length + 1)
            n = end

    def _form(self, form):
        """{doc: score} of the documents where every term of the form starts a word
        (a posting dict itself when the form is one term: never modified)."""
        scores = None
        for term in form.split():
            counts = self._prefix(term)
            scores = counts if scores is None else _intersect(scores, counts)
            if not scores:
                return {}
        return scores or {}

    def suggest(self, query, services_only=False, limit=10):
        scores = None
        for forms in search_words(query):
            if len(forms) == 1:
                word = self._form(forms[0])
            else:
                word = {}
                for form in forms:
                    for doc, score in self._form(form).items():
                        if score > word.get(doc, 0):
                            word[doc] = score
            scores = word if scores is None else _intersect(scores, word)
            if not scores:
                return []
        if not scores:
            return []
        if services_only:
            is_service = self.is_service
            scores = {doc: score for doc, score in scores.items() if is_service[doc]}
        # (score, doc) pairs compare natively: best score first, then the newest page.
        best = heapq.nlargest(limit, zip(reversed(scores.values()), reversed(scores.keys()), strict=True))
        return [self.suggestions[doc] for _score, doc in best]


def _merge(ranges):
    """{doc: summed occurrences} over several words' postings."""
    merged = {}
    for counts in ranges:  # a union in C: right when no page has two of these words
        merged.update(counts)
    if len(merged) == sum(len(counts) for counts in ranges):
        return merged
    merged = {}
    for counts in ranges:
        for doc, count in counts.items():
            merged[doc] = merged.get(doc, 0) + count
    return merged


def _intersect(first, second):
    """{doc: summed score} of the documents in both."""
    if len(second) < len(first):
        first, second = second, first
    return {doc: score + second[doc] for doc, score in first.items() if doc in second}
