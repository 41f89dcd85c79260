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

    def __len__(self):
        return len(self.suggestions)

    def _prefix(self, term):
        """{doc: occurrences} of the words starting with `term`."""
        start = bisect.bisect_left(self.tokens, term)
        stop = bisect.bisect_right(self.tokens, term + _LAST, start)
        if stop - start == 1:
            return self.postings[start]
        merged = {}
        for counts in self.postings[start:stop]:
            for doc, count in counts.items():
                merged[doc] = merged.get(doc, 0) + count
        return merged

    def _form(self, form):
        scores = None
        for term in form.split():
            counts = self._prefix(term)
            if scores is None:
                scores = dict(counts)
            else:
                scores = {doc: score + counts[doc] for doc, score in scores.items() if doc in counts}
            if not scores:
                return {}
        return scores or {}

    def suggest(self, query, services_only=False, limit=10):
        scores = None
        for forms in search_words(query):
            word = {}
            for form in forms:
                for doc, score in self._form(form).items():
                    if score > word.get(doc, 0):
                        word[doc] = score
            scores = (
                word if scores is None else {doc: s + word[doc] for doc, s in scores.items() if doc in word}
            )
            if not scores:
                return []
        if not scores:
            return []
        candidates = scores.items()
        if services_only:
            candidates = [item for item in candidates if self.is_service[item[0]]]
        best = heapq.nlargest(limit, candidates, key=lambda item: (item[1], item[0]))
        return [self.suggestions[doc] for doc, _score in best]
