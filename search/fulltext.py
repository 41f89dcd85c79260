"""The search page's full-text search, answered from memory.

`FullTextIndex` holds, for the visible pages of one locale, the words of their search
index entries (the rows Wagtail's database backend stores, already normalised by
`portal.persian.search_key`) and what a result shows. It evaluates the same query tree
as the backend (`search.backends.query.build_query`: words ANDed, each word's forms ORed,
forms of three letters or more as prefixes, shorter ones as whole words) against the
same words, and orders results with the backend's PostgreSQL formula: ts_rank of every
term over the title and over the body (per-position weights, 1/j² for repeats),
And -> Π(1 + r) − 1, Or -> mean, title rank × title_norm + body rank, ties newest
first. On PostgreSQL the words and weights are read from the stored tsvectors, so
matching is the database's own; on SQLite from the stored text.
"""

import bisect
import re
import struct

from modelsearch.query import And, Or, PlainText

from .backends.query import Prefix, build_query

_LAST = "\U0010ffff"
_TSVECTOR_RE = re.compile(r"'((?:[^']|'')+)'(?::([0-9A-D,*]+))?")
_POSITION_RE = re.compile(r"\d+([A-D]?)")
_TOKEN_RE = re.compile(r"[^\W_]+")
_PI2_6 = 1.64493406685  # sum of 1/i², as PostgreSQL's calc_rank_or


def _float4(value):
    return struct.unpack("f", struct.pack("f", value))[0]


def _lexeme_rank(weights):
    """PostgreSQL's calc_rank_or contribution of one lexeme, from its positions' weights."""
    total, top, top_at = 0.0, -1.0, 0
    for j, weight in enumerate(weights):
        total += weight / ((j + 1) * (j + 1))
        if weight > top:
            top, top_at = weight, j
    return (top + total - top / ((top_at + 1) * (top_at + 1))) / _PI2_6


def tsvector_words(text, weights):
    """{lexeme: rank contribution} of a tsvector's text form ('w':1B,4 ...)."""
    words = {}
    for lexeme, positions in _TSVECTOR_RE.findall(text or ""):
        lexeme = lexeme.replace("''", "'").replace("\\\\", "\\")
        letters = [match or "D" for match in _POSITION_RE.findall(positions)] or ["D"]
        words[lexeme] = _float4(_lexeme_rank([weights[letter] for letter in letters]))
    return words


def text_words(text, weight):
    """{word: rank contribution} of plain normalised text (SQLite's index rows)."""
    counts = {}
    for word in _TOKEN_RE.findall(text or ""):
        counts[word] = counts.get(word, 0) + 1
    return {word: _float4(_lexeme_rank([weight] * count)) for word, count in counts.items()}


class Hit:
    """One result as the results page shows it."""

    __slots__ = ("pk", "title", "url", "service_id", "unit", "summary", "search_description")

    def __init__(self, pk, title, url, service_id=None, unit=None, summary="", search_description=""):
        self.pk, self.title, self.url = pk, title, url
        self.service_id, self.unit, self.summary = service_id, unit, summary
        self.search_description = search_description

    def __repr__(self):
        return f"<Hit {self.pk} {self.title!r}>"


class FullTextIndex:
    def __init__(self, documents):
        """documents: (hit, unit_id or None, title words, body words, title_norm), in
        page-id order; words as {word: rank contribution}."""
        self.hits, self.unit_ids, self.title_norms = [], [], []
        title_postings, body_postings = {}, {}
        for doc, (hit, unit_id, title_words, body_words, title_norm) in enumerate(documents):
            self.hits.append(hit)
            self.unit_ids.append(unit_id)
            self.title_norms.append(title_norm)
            for word, rank in title_words.items():
                title_postings.setdefault(word, {})[doc] = rank
            for word, rank in body_words.items():
                body_postings.setdefault(word, {})[doc] = rank
        empty = {}
        self.words = sorted(title_postings.keys() | body_postings.keys())
        self.title_postings = [title_postings.get(word, empty) for word in self.words]
        self.body_postings = [body_postings.get(word, empty) for word in self.words]

    def __len__(self):
        return len(self.hits)

    def _leaf(self, term, prefix):
        """{doc: (title rank, body rank)} of one term (ts_rank's float4 values)."""
        start = bisect.bisect_left(self.words, term)
        if prefix:
            stop = bisect.bisect_right(self.words, term + _LAST, start)
        else:
            stop = start + 1 if start < len(self.words) and self.words[start] == term else start
        if stop - start == 1:  # one word: its contributions are float4 already
            title, body = self.title_postings[start], self.body_postings[start]
            return {doc: (title.get(doc, 0.0), body.get(doc, 0.0)) for doc in title.keys() | body.keys()}
        title, body = {}, {}
        for n in range(start, stop):
            for doc, rank in self.title_postings[n].items():
                title[doc] = title.get(doc, 0.0) + rank
            for doc, rank in self.body_postings[n].items():
                body[doc] = body.get(doc, 0.0) + rank
        return {
            doc: (_float4(title.get(doc, 0.0)), _float4(body.get(doc, 0.0)))
            for doc in title.keys() | body.keys()
        }

    def _evaluate(self, query):
        if isinstance(query, Prefix):
            return self._leaf(query.query_string, prefix=True)
        if isinstance(query, PlainText):
            terms = query.query_string.split()
            if len(terms) == 1:
                return self._leaf(terms[0], prefix=False)
            query = And([PlainText(term) for term in terms])
        if isinstance(query, And):
            result = None
            for subquery in query.subqueries:
                matches = self._evaluate(subquery)
                if result is None:
                    result = {doc: ((1 + t), (1 + b)) for doc, (t, b) in matches.items()}
                else:
                    result = {
                        doc: (t * (1 + matches[doc][0]), b * (1 + matches[doc][1]))
                        for doc, (t, b) in result.items()
                        if doc in matches
                    }
                if not result:
                    return {}
            return {doc: (t - 1, b - 1) for doc, (t, b) in result.items()}
        if isinstance(query, Or):
            count = len(query.subqueries) or 1
            result = {}
            for subquery in query.subqueries:
                for doc, (t, b) in self._evaluate(subquery).items():
                    old = result.get(doc, (0.0, 0.0))
                    result[doc] = (old[0] + t, old[1] + b)
            return {doc: (t / count, b / count) for doc, (t, b) in result.items()}
        raise TypeError(f"unsupported query {query!r}")

    def search(self, text, unit_id=None):
        """The matching documents' hits, best first (services of `unit_id` only when given)."""
        query = build_query(text)
        if query is None:
            return []
        matches = self._evaluate(query)
        if unit_id:
            matches = {doc: ranks for doc, ranks in matches.items() if self.unit_ids[doc] == unit_id}
        norms = self.title_norms
        ranked = sorted(
            matches.items(),
            key=lambda item: (item[1][0] * norms[item[0]] + item[1][1], item[0]),
            reverse=True,
        )
        return [self.hits[doc] for doc, _ranks in ranked]
