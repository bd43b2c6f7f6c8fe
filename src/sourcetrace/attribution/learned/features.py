"""Features for the learned attribution model: per token, and per token relative to a cue.

The model works like semantic role labelling with the cue as the predicate:

- the **cue tagger** labels every token of a sentence ``B-CUE``/``I-CUE``/``O``;
- the **role tagger** then labels, for each cue, the tokens of a window around it (the
  sentence before, the cue's sentence and the one after) ``B-SRC``/``I-SRC`` (source),
  ``B-CON``/``I-CON`` (content) or ``O``.

Features are strings (``name=value``), computed from the spaCy parse, the quotation marks
and the rule-based extractor's output (stacking): every token knows which roles the rules
gave it and the type of the rule attribution whose cue it is in, and in a cue's window the
role the rule attribution with the same cue gave it (on PolNeAR dev, the per-cue role alone
raised who-said-what F1 from 0.643 to 0.666). Everything here reads token indices, never keeps
spaCy objects beyond the call, and costs time linear in the window size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from ...records import Attribution
from ..lexicon import lexicon
from ..quotes import QuoteIndex

CUE_LABELS = ("B-CUE", "I-CUE", "O")
ROLE_LABELS = ("B-SRC", "I-SRC", "B-CON", "I-CON", "O")

WINDOW_SENTENCES_BEFORE = 1
WINDOW_SENTENCES_AFTER = 1
"""Sentences around the cue's own the role tagger sees. On PolNeAR train, 94% of content and
97% of source tokens of an attribution lie within one sentence of its cue's sentence (the
rest are quotations over several paragraphs, extended after tagging)."""

MAX_WINDOW_TOKENS = 160
"""A window is cut to this many tokens around the cue: bounds the cost on run-on sentences."""

MAX_PATH_DEPTH = 6
"""Dependency paths longer than this are cut: deeper tokens share one feature."""

_ROLE_BITS = {"source": 1, "cue": 2, "content": 4}


@dataclass(frozen=True, slots=True)
class RuleRoles:
    """The tokens of one rule-based attribution, by role, and the attribution's type."""

    type: str
    cue: frozenset[int]
    source: frozenset[int]
    content: frozenset[int]


def _distance_bucket(d: int) -> str:
    """Bucket a token distance: exact near the cue, coarse further away."""
    if d <= 3:
        return str(d)
    if d <= 6:
        return "4-6"
    if d <= 12:
        return "7-12"
    if d <= 25:
        return "13-25"
    return "26+"


@dataclass(slots=True)
class DocFeatures:
    """Token features of one parsed document, computed once and shared by every cue."""

    doc: Doc
    quotes: QuoteIndex
    static: list[list[str]]
    sent_of: list[int]
    sent_bounds: list[tuple[int, int]]
    in_quote: list[int]
    heads: list[int]
    deps: list[str]
    lemmas: list[str]
    rule_roles: list[RuleRoles]
    rule_bits: list[int]
    _cue_index: dict[int, list[int]] | None = None

    @classmethod
    def build(cls, doc: Doc, rules: Sequence[Attribution]) -> DocFeatures:
        """Compute the static features of every token of ``doc``."""
        lex = lexicon()
        quotes = QuoteIndex(doc.text)
        n = len(doc)
        sent_of = [0] * n
        sent_bounds: list[tuple[int, int]] = []
        for i, sent in enumerate(doc.sents):
            sent_bounds.append((sent.start, sent.end))
            for j in range(sent.start, sent.end):
                sent_of[j] = i
        rule_roles = [_rule_tokens(doc, a) for a in rules]
        rule_bits = _rule_bits(len(doc), rule_roles)
        rule_cue_type = ["-"] * n
        for rule in rule_roles:
            for j in rule.cue:
                rule_cue_type[j] = rule.type
        heads = [t.head.i for t in doc]
        deps = [t.dep_ for t in doc]
        lemmas = [lex.lemma(t) for t in doc]
        in_quote = [0] * n
        for quote in quotes.quotes:
            for start, end in quote.pieces:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None:
                    continue
                for j in range(span.start, span.end):
                    in_quote[j] = 1
        child_deps: list[set[str]] = [set() for _ in range(n)]
        for t in doc:
            if t.head.i != t.i:
                child_deps[t.head.i].add(t.dep_)
        static: list[list[str]] = []
        for t in doc:
            i = t.i
            lemma = lemmas[i]
            category = lex.category(lemma, {c for c in child_deps[i]}) if t.pos_ == "VERB" else None
            feats = [
                "b",
                f"w={t.lower_}",
                f"l={lemma}",
                f"p={t.tag_}",
                f"d={t.dep_}",
                f"hl={lemmas[heads[i]]}",
                f"hd={deps[heads[i]]}",
                f"q={in_quote[i]}",
                f"r={rule_bits[i]}",
                f"cat={category or '-'}",
                f"shape={t.shape_[:4]}",
                f"ent={t.ent_type_ or '-'}",
                f"rt={rule_cue_type[i]}",
            ]
            if t.is_sent_start:
                feats.append("sstart")
            if t.is_punct:
                feats.append(f"punct={t.text[:2]}")
                # Colon and dash cues: the rules know name labels and dash lines.
                feats.append(f"rt|punct={rule_cue_type[i]}|{t.text[:2]}")
            for dep in ("nsubj", "ccomp", "dobj", "xcomp", "nsubjpass", "agent", "prep"):
                if dep in child_deps[i]:
                    feats.append(f"has={dep}")
            static.append(feats)
        return cls(
            doc,
            quotes,
            static,
            sent_of,
            sent_bounds,
            in_quote,
            heads,
            deps,
            lemmas,
            rule_roles,
            rule_bits,
        )

    def cue_sequences(self) -> list[tuple[int, int, list[list[str]]]]:
        """Return ``(start, end, features)`` per sentence for the cue tagger."""
        out = []
        for start, end in self.sent_bounds:
            rows = []
            for i in range(start, end):
                row = list(self.static[i])
                for k in (-2, -1, 1, 2):
                    j = i + k
                    if start <= j < end:
                        row.append(f"{k}:l={self.lemmas[j]}")
                        row.append(f"{k}:p={self.doc[j].tag_}")
                        row.append(f"{k}:q={self.in_quote[j]}")
                        row.append(f"{k}:r={self.rule_bits[j]}")
                        row.append(f"{k}:ent={self.doc[j].ent_type_ or '-'}")
                    else:
                        row.append(f"{k}:edge")
                rows.append(row)
            out.append((start, end, rows))
        return out

    def window(self, cue: Sequence[int]) -> tuple[int, int]:
        """Return the token range the role tagger reads for a cue."""
        sent = self.sent_of[cue[0]]
        first = max(0, sent - WINDOW_SENTENCES_BEFORE)
        last = min(len(self.sent_bounds) - 1, sent + WINDOW_SENTENCES_AFTER)
        start, end = self.sent_bounds[first][0], self.sent_bounds[last][1]
        if end - start > MAX_WINDOW_TOKENS:
            half = MAX_WINDOW_TOKENS // 2
            start = max(start, cue[0] - half)
            end = min(end, start + MAX_WINDOW_TOKENS)
        return start, end

    def role_sequence(self, cue: Sequence[int]) -> tuple[int, int, list[list[str]]]:
        """Return ``(start, end, features)`` of the role tagger's window for one cue."""
        start, end = self.window(cue)
        cue_set = set(cue)
        head = _cue_head(cue, self.heads)
        cue_lemma = self.lemmas[head]
        cue_dep = self.deps[head]
        cue_sent = self.sent_of[head]
        # The cue head's ancestors, by level: where paths from other tokens meet it.
        up: dict[int, int] = {}
        node, level = head, 0
        while level <= MAX_PATH_DEPTH:
            up[node] = level
            parent = self.heads[node]
            if parent == node:
                break
            node, level = parent, level + 1
        rule = self.rule_for(cue)
        rule_match = "-" if rule is None else "1"
        rows = []
        for i in range(start, end):
            if i in cue_set:
                rows.append([*self.static[i], "CUE"])
                continue
            side = "L" if i < cue[0] else "R"
            rc = _rule_role(rule, i) if rule is not None else rule_match
            dist = _distance_bucket(abs(i - (cue[0] if i < cue[0] else cue[-1])))
            sent_rel = self.sent_of[i] - cue_sent
            path = self._path(i, up, cue_sent) if sent_rel == 0 else f"S{sent_rel:+d}"
            row = [
                *self.static[i],
                f"side={side}",
                f"dist={side}{dist}",
                f"srel={sent_rel}",
                f"path={path}",
                f"cl={cue_lemma}",
                f"cd={cue_dep}",
                f"path|cl={path}|{cue_lemma}",
                f"path|cd={path}|{cue_dep}",
                f"q|side={self.in_quote[i]}|{side}|{sent_rel}",
                f"rc={rc}",
                f"rc|side={rc}|{side}|{sent_rel}",
            ]
            rows.append(row)
        # Neighbours' paths: a token's label depends on where its neighbours hang.
        for k, row in enumerate(rows):
            if k > 0:
                row.append("-1:" + _path_of(rows[k - 1]))
            if k + 1 < len(rows):
                row.append("+1:" + _path_of(rows[k + 1]))
        return start, end, rows

    def rule_for(self, cue: Sequence[int]) -> RuleRoles | None:
        """The rule-based attribution whose cue shares the most tokens with ``cue``, if any."""
        # Only rules whose cue holds one of these tokens: linear even with thousands of cues.
        shared: dict[int, int] = {}
        for token in cue:
            for k in self._rules_by_cue_token().get(token, ()):
                shared[k] = shared.get(k, 0) + 1
        if not shared:
            return None
        best = min(shared, key=lambda k: (-shared[k], k))
        return self.rule_roles[best]

    def _rules_by_cue_token(self) -> dict[int, list[int]]:
        """Index of ``rule_roles`` by the tokens of their cues (built on first use)."""
        if self._cue_index is None:
            self._cue_index = {}
            for k, rule in enumerate(self.rule_roles):
                for token in rule.cue:
                    self._cue_index.setdefault(token, []).append(k)
        return self._cue_index

    def _path(self, token: int, up: dict[int, int], cue_sent: int) -> str:
        """Describe how ``token`` hangs relative to the cue head in the dependency tree."""
        node, depth, below = token, 0, ""
        while depth <= MAX_PATH_DEPTH:
            if node in up:
                level = up[node]
                if level == 0:
                    return f"D:{below or '-'}:{min(depth, 3)}"
                return f"U{level}:{below or '-'}"
            below = self.deps[node]
            parent = self.heads[node]
            if parent == node:
                break
            node, depth = parent, depth + 1
        return "far"


def _path_of(row: list[str]) -> str:
    """The path feature of a row (``CUE`` for cue tokens)."""
    for feat in row:
        if feat.startswith("path="):
            return feat[5:]
    return "CUE"


def _cue_head(cue: Sequence[int], heads: list[int]) -> int:
    """The token of the cue whose head lies outside it (the cue's syntactic head)."""
    inside = set(cue)
    for i in cue:
        if heads[i] not in inside or heads[i] == i:
            return i
    return cue[0]


def _rule_tokens(doc: Doc, attribution: Attribution) -> RuleRoles:
    """The tokens of each role of one rule-based attribution."""
    sets: list[frozenset[int]] = []
    for span in (attribution.cue, attribution.source, attribution.content):
        tokens: set[int] = set()
        for start, end in span.pieces if span is not None else ():
            chunk = doc.char_span(start, end, alignment_mode="expand")
            if chunk is not None:
                tokens.update(range(chunk.start, chunk.end))
        sets.append(frozenset(tokens))
    return RuleRoles(attribution.type, *sets)


def _rule_bits(n: int, rules: Sequence[RuleRoles]) -> list[int]:
    """Bit mask per token of the roles the rule-based extractor gave it."""
    bits = [0] * n
    for rule in rules:
        for role, tokens in (("source", rule.source), ("cue", rule.cue), ("content", rule.content)):
            for t in tokens:
                bits[t] |= _ROLE_BITS[role]
    return bits


def _rule_role(rule: RuleRoles, token: int) -> str:
    """The role ``rule`` gives ``token``: S (source), C (content) or O."""
    if token in rule.source:
        return "S"
    return "C" if token in rule.content else "O"
