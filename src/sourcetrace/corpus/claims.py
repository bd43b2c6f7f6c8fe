"""Claims: the statements across a story's documents that assert the same thing.

A statement is an attribution's content (with its speaker and relay chain) or an unsourced
assertion. Statements are compared by their content words (stop words and reporting verbs
dropped, endings stripped, paraphrases mapped through a synonym table, the story's topic
words weighted down), with shared figures, names and the same named speaker as extra
evidence; candidates
come from an inverted index over the words, so a story is never compared all-pairs.

For each claim the step works out who said it first, who the primary speakers are, which
mentions only echo an earlier document (they cite its outlet, or copy its text), and how
many first-hand sources remain once echoes are set aside.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from ..records import AnalysedDocument, Attribution, Span
from .records import Claim, ClaimFlag, Echo, Mention, Origin, ReusePair, Story, content_id
from .series import can_conflict, quantity
from .text import words
from .timeline import Timeline, outlet_key

LEXICON_FILE = "corpus_claims.json"

SAME_CLAIM = 0.55
"""Score at or above which two statements are one claim.

The score is the Dice coefficient of the two content-word sets (words mapped through the
synonym table, story topic words weighted down by ``topic_weights``) plus ``FIGURE_BONUS``,
``NAME_BONUS`` and ``SPEAKER_BONUS``. Calibrated by hand on the 17 statement pairs of
``PAIRS`` in ``tests/corpus/test_claims.py`` (2026-11, with the synonym table): paraphrases
of one claim scored 0.67-1.10, different claims about the same event 0.00-0.43; the
threshold sits between, nearer the paraphrases because a false merge costs more (it hides
a source) than a missed one. Recalibrate with ``sourcetrace eval corpus tests/data/corpus``
(claim-grouping precision/recall) when the lexicon or the score changes."""

FIGURE_BONUS = 0.15
"""Added when two statements share a figure value (same number, same quantity wording aside)."""

NAME_BONUS = 0.1
"""Added when two statements share a capitalised name (a person, a place, a body)."""

SPEAKER_BONUS = 0.15
"""Added when two statements have the same named speaker: a quote and its paraphrase ("I
have decided to step down" / "Calloway intended to step down") share few words but one
voice. Set like ``FIGURE_BONUS``: it alone never groups (it needs a Dice of at least 0.40)."""

TOPIC_SHARE = 0.15
"""Share of a story's statements above which a word is a topic word and weighs less
(``topic_weights``). Set by hand (2026-11): the labelled corpus's stories have 100-140
statements, their subject words ("ferry", the town, "mayor") sit in 15-25% of them, and a
claim repeated across a whole story in under 10%. On ``tests/data/corpus`` with gold
stories, 0.15 and no weighting group the same pairs, 0.15 gives fewer false echoes, 0.10
splits real claims. Rerun ``sourcetrace eval corpus tests/data/corpus`` after changing it."""

TOPIC_MIN_STATEMENTS = 20
"""Stories with fewer statements than this get no topic weights (too few to tell)."""

RECENT_PER_WORD = 64
"""Statements remembered per word: each new statement meets, per content word, only the
latest this many that carry it.

A common word ("police", the town's name) would otherwise pair everything with everything.
A claim repeated by hundreds of documents still forms one group: each new mention finds the
recent ones, which are already linked to the earlier ones. With ``MAX_CANDIDATES`` this
bounds the work per statement, so the step grows close to linearly with the statements of a
story: on synthetic stories (9 Zipf-drawn words from 3,000 per statement, 5 variants per
claim) 2k, 8k and 32k statements took 0.24 s, 1.4 s and 7.9 s on one core (2026-11);
128 doubled the time and barely changed the groups. A claim repeated across a story is
tested in ``tests/corpus/test_claims.py``."""

MAX_CANDIDATES = 24
"""Statements scored per new statement: those sharing the most content words with it."""

MIN_STEM = 3
"""Letters a stem keeps: "used" stays "used", not "us"."""

MIN_WORDS = 2
"""Statements with fewer content words than this are never grouped ("it is", "no")."""

Title = frozenset[str]
"""A title's words, articles and possessive endings dropped: {"union", "president"}."""


@dataclass(frozen=True, slots=True)
class ClauseWords:
    """The clause-boundary words of ``data/corpus_claims.json`` (see its ``_about_clauses``).

    Attributes:
        coordinators: words that open a new clause after a comma.
        subordinators: words that open a background clause.
        relatives: relative pronouns.
        participle_endings: endings of a comma-led participle that opens a clause.
        auxiliaries: verbs that close a clause opened without a comma.
        first_person: words a speaker uses of themself.
        complementizers: relative pronouns that also introduce reported content ("that").
        subject_starters: words that begin a subject (determiners, pronouns).
    """

    coordinators: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()
    relatives: frozenset[str] = frozenset()
    participle_endings: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()
    first_person: frozenset[str] = frozenset()
    complementizers: frozenset[str] = frozenset()
    subject_starters: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ClaimLexicon:
    """The comparison tables of ``data/corpus_claims.json`` (see its ``_about``).

    Attributes:
        stopwords: words that say nothing about what a statement asserts.
        synonyms: stemmed word -> the stemmed word it is compared as.
        phrases: (stemmed word, stemmed word) -> the stemmed word the pair is compared as.
        spokesperson: titles of someone speaking for a body ("spokeswoman").
        roles: head nouns of a person's title ("president", "spokeswoman").
        clauses: the words statements are cut into clauses on (``clause_pieces``).
    """

    stopwords: frozenset[str]
    synonyms: Mapping[str, str]
    phrases: Mapping[tuple[str, str], str]
    spokesperson: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    clauses: ClauseWords = ClauseWords()


@functools.cache
def lexicon() -> ClaimLexicon:
    """Load the comparison tables shipped with sourcetrace (once per process)."""
    raw = json.loads(
        resources.files("sourcetrace").joinpath("data", LEXICON_FILE).read_text("utf-8")
    )
    phrases = {}
    for phrase, canonical in raw.get("phrases", {}).items():
        first, second = phrase.split()
        phrases[(stem(first), stem(second))] = stem(canonical.replace(" ", "_"))
    return ClaimLexicon(
        stopwords=frozenset(raw["stopwords"]),
        synonyms={stem(w): stem(c.replace(" ", "_")) for w, c in raw.get("synonyms", {}).items()},
        phrases=phrases,
        spokesperson=frozenset(raw.get("spokesperson_words", ())),
        roles=frozenset(raw.get("role_nouns", ())),
        clauses=ClauseWords(**{k: frozenset(v) for k, v in raw.get("clauses", {}).items()}),
    )


def stopwords() -> frozenset[str]:
    """The words that say nothing about what a statement asserts (``data/corpus_claims.json``)."""
    return lexicon().stopwords


def stem(word: str) -> str:
    """Strip common English endings so "close", "closes", "closed" and "closing" compare equal."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) - len(suffix) >= MIN_STEM and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > MIN_STEM and word.endswith("e") else word


def content_words(text: str) -> frozenset[str]:
    """The stemmed content words of a statement, each mapped through the synonym table.

    Two-word phrases ("step down") are read first, since their second word may be a stop
    word; numbers are left out (figures compare apart).
    """
    lex = lexicon()
    tokens = [w.removesuffix("'s") for w in words(text)]
    found = set()
    skip = False
    for word, after in zip(tokens, [*tokens[1:], ""], strict=True):
        if skip:
            skip = False
            continue
        phrase = lex.phrases.get((stem(word), stem(after))) if after else None
        if phrase is not None:
            found.add(phrase)
            skip = True
        elif word and word not in lex.stopwords and not word.isdigit():
            stemmed = stem(word)
            if stemmed not in lex.stopwords:
                found.add(lex.synonyms.get(stemmed, stemmed))
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a story, with what it is compared by.

    Attributes:
        mention: where it is stated, by whom and through whom.
        attribution: the attribution it is the content of, None for an assertion.
        words: stemmed content words.
        figures: (quantity, value) of the figures inside it.
        names: capitalised words inside it, lowercased (first word of the text excluded).
        speaker: the named speaker's name, casefolded; None when unnamed or unsourced.
    """

    mention: Mention
    attribution: Attribution | None
    words: frozenset[str]
    figures: frozenset[tuple[str | None, float]]
    names: frozenset[str]
    speaker: str | None = None


def statements(doc: AnalysedDocument) -> list[Statement]:
    """Every statement of a document: attribution contents, then unsourced assertions."""
    found = []
    for attribution in doc.attributions:
        mention = Mention(
            doc=doc.id,
            attribution=attribution.id,
            assertion=None,
            span=attribution.content,
            speaker=attribution.speaker,
            via=attribution.via or (),
            outlet=doc.outlet,
            published=doc.published,
        )
        found.append(_statement(doc, mention, attribution))
    for index, assertion in enumerate(doc.assertions or ()):
        span = Span(assertion.text, assertion.start, assertion.end)
        mention = Mention(doc.id, None, index, span, None, (), doc.outlet, doc.published)
        found.append(_statement(doc, mention, None))
    return found


Pieces = list[tuple[int, int]]
"""A clause unit's ``(start, end)`` pieces in its document (a background clause leaves a gap)."""

EMBEDDED_MIN_WORDS = 4
"""Words a clause opened without a comma holds before an auxiliary can close it.

"after a ferry capsized off Varno has risen to seven": the clause after "after" runs to "has",
which belongs to the main clause; a shorter one keeps its verb ("while its certificate was
renewed"). Set by hand from news grammar (2026-11); on ``tests/data/corpus`` (gold stories)
3, 4 and 5 group the same pairs, 4 is the cautious choice. Rerun ``sourcetrace eval corpus
tests/data/corpus`` after changing it."""

_TOKEN = re.compile(r"\S+")
_DASHES = frozenset({"\u2014", "\u2013", "--", "-"})
_EDGE = "\"'\u201c\u201d\u2018\u2019()[].,;:!?"
_TRAIL = ",;:\u2014\u2013"
_GAP = " \t\n,;:\u2014\u2013-\"'\u201c\u201d\u2018\u2019"


def _sentence_end(before: str, raw: str, word: str) -> bool:
    """True when ``before`` ends a sentence and ``raw`` starts the next ("down." "It").

    An abbreviation does not end one: the word before the stop must have three letters or
    more ("Mr.") and no inner full stop ("U.S."), and the next must start with a capital
    ("Sept. 3").
    """
    bare = before.rstrip("\"'\u201d\u2019)")
    if not bare or bare[-1] not in ".?!":
        return False
    stem_ = bare.rstrip(".?!").lstrip("\"'\u201c\u2018(")
    starts = raw.lstrip("\"'\u201c\u2018(")[:1]
    return len(stem_) >= 3 and "." not in stem_ and starts.isupper() and bool(word)


class _Cutter:
    """Walks a statement's words and deals them into clause units."""

    def __init__(self, words: ClauseWords) -> None:
        self.words = words
        self.units: list[Pieces] = [[]]
        self.background: list[bool] = [False]
        self.current = 0
        self.back: int | None = None  # the unit an open background clause returns to
        self.closes = ""  # what closes it: "comma" or "auxiliary"
        self.since = 0  # words since it opened
        self.last: dict[int, int] = {}  # unit -> index of the last word dealt to it

    def open(self, background: str) -> None:
        """Start a new unit; a background one returns to the clause it interrupts."""
        if background:
            self.back = self.current if self.back is None else self.back
            self.since = -1  # the opening word does not count
        else:
            self.back = None
        self.closes = background
        self.units.append([])
        self.background.append(bool(background))
        self.current = len(self.units) - 1

    def resume(self) -> None:
        """Close the background clause and return to the clause it interrupted."""
        if self.back is not None:
            self.current, self.back, self.closes = self.back, None, ""

    def step(self, index: int, raw: str, after: str, following: str) -> None:
        """Decide where the word ``raw`` at ``index`` goes (``after``: the word before it)."""
        word = raw.lower().strip(_EDGE)
        cw = self.words
        comma = after.endswith(",")
        opener = word in cw.subordinators or word in cw.relatives
        if word in cw.complementizers and following in cw.subject_starters:
            opener = False  # "said that the ferry ...": reported content, not a relative clause
        participle = len(word) >= 6 and any(word.endswith(e) for e in cw.participle_endings)
        hard = after[-1:] in (";", ":") or after in _DASHES or _sentence_end(after, raw, word)
        if hard or (comma and word in cw.coordinators):
            self.open("")
        elif comma and (opener or participle):
            self.open("comma")
        elif comma and self.back is not None:
            self.resume()
        elif self.back is None and opener and index > 0:
            self.open("auxiliary")
        elif self.closes == "auxiliary" and opener:
            self.since = -1  # a nested clause: the next auxiliary is its own
        elif (
            self.closes == "auxiliary"
            and word in cw.auxiliaries
            and self.since >= EMBEDDED_MIN_WORDS
            and after.lower() not in cw.coordinators  # "had lost power and were drifting"
        ):
            self.resume()
        self.since += 1

    def add(self, index: int, start: int, end: int) -> None:
        """Deal the word at ``index`` (``start``-``end``) to the current unit."""
        pieces = self.units[self.current]
        if pieces and self.last.get(self.current) == index - 1:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
        self.last[self.current] = index


def clause_pieces(text: str, start: int = 0) -> list[tuple[Pieces, bool]]:
    """Cut a statement into clause units on punctuation, conjunctions and subordinators.

    A semicolon, colon or dash ends a clause; a comma followed by a coordinator starts a new
    one (", and the port closed"); a comma followed by a subordinator, a relative pronoun or
    a participle starts a background clause (", killing four", ", which lies on its side")
    that ends at the next comma, after which the interrupted clause goes on; a subordinator or
    relative pronoun without a comma ("after a ferry capsized") starts one that ends at a
    comma or at an auxiliary ``EMBEDDED_MIN_WORDS`` words on. Words are ``data/
    corpus_claims.json``'s ``clauses``.

    Args:
        text: the statement text (one piece of its span).
        start: where ``text`` starts in its document.

    Returns:
        The units in order of opening, each as ``(start, end)`` pieces in document offsets;
        empty units left out.
    """
    cutter = _Cutter(lexicon().clauses)
    after = ""
    index = 0
    tokens = list(_TOKEN.finditer(text))
    for position, match in enumerate(tokens):
        token = match.group()
        following = tokens[position + 1].group() if position + 1 < len(tokens) else ""
        if index:
            cutter.step(index, token, after, following.lower().strip(_EDGE))
        after = token
        if token in _DASHES:
            continue
        end = match.end() - (len(token) - len(token.rstrip(_TRAIL)))
        if end > match.start():
            cutter.add(index, start + match.start(), start + end)
        index += 1
    return [(u, b) for u, b in zip(cutter.units, cutter.background, strict=True) if u]


def clause_units(doc: AnalysedDocument, statement: Statement) -> list[tuple[Statement, bool]]:
    """A statement's clause units (``clause_pieces``), each a statement of its own.

    A unit with fewer than ``MIN_WORDS`` content words ("since June", ", killing four" once
    the number is set aside) joins the unit before it (the first joins the next): alone it
    could not be grouped, and what it adds belongs to its neighbour. Each unit's mention
    spans only the unit (pieces separated by punctuation alone read as one piece).

    Args:
        doc: the statement's document.
        statement: one of ``statements(doc)``.

    Returns:
        (unit, background?) in order of opening; the statement itself when it is one clause.
    """
    span = statement.mention.span
    units = [u for s, e in span.pieces for u in clause_pieces(doc.text[s:e], s)]
    if len(units) <= 1:
        return [(statement, False)]
    merged: list[tuple[Pieces, bool]] = []
    for unit, background in units:
        if merged and (_small(doc.text, unit) or _small(doc.text, merged[-1][0])):
            merged[-1] = (merged[-1][0] + unit, merged[-1][1])
        else:
            merged.append((unit, background))
    if len(merged) == 1:
        return [(statement, False)]
    out = []
    for unit, background in merged:
        piece_span = Span.from_fragments(doc.text, _coalesce(doc.text, unit))
        mention = dataclasses.replace(statement.mention, span=piece_span)
        out.append((_statement(doc, mention, statement.attribution), background))
    return out


def _small(text: str, pieces: Pieces) -> bool:
    """True when a unit has too few content words to be grouped on its own."""
    return len(content_words(_pieces_text(text, pieces))) < MIN_WORDS


def _pieces_text(text: str, pieces: Pieces) -> str:
    """The text of some pieces, joined by a space."""
    return " ".join(text[s:e] for s, e in sorted(pieces))


def _coalesce(text: str, pieces: Pieces) -> Pieces:
    """Sorted pieces, neighbours joined when only spaces and punctuation lie between."""
    out: Pieces = []
    for start, end in sorted(pieces):
        if out and not text[out[-1][1] : start].strip(_GAP):
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _statement(
    doc: AnalysedDocument, mention: Mention, attribution: Attribution | None
) -> Statement:
    """Build a statement with its comparison features."""
    span = mention.span
    inside = [f for f in doc.figures if any(s <= f.start and f.end <= e for s, e in span.pieces)]
    figures = frozenset((quantity(f, doc.text), f.value) for f in inside)
    tokens = span.text.split()
    names = frozenset(t.strip(".,;:!?\"'()“”‘’").lower() for t in tokens[1:] if t[:1].isupper()) - {
        ""
    }
    speaker = mention.speaker.name.casefold() if mention.speaker and mention.speaker.name else None
    found = content_words(span.text)
    if speaker and attribution is not None:
        clauses = lexicon().clauses
        if clauses.first_person & set(words(span.text)):
            # "I will step down", said by Calloway, states that Calloway will step down.
            surname = words(speaker)[-1:]
            found |= frozenset(surname)
            names |= frozenset(surname)
    return Statement(mention, attribution, found, figures, names, speaker)


def similarity(a: Statement, b: Statement, weights: Mapping[str, float] | None = None) -> float:
    """How surely two statements assert the same thing (0 to about 1.4).

    Args:
        a: one statement.
        b: another.
        weights: word weights (``topic_weights``); words not in it weigh 1.

    Returns:
        Weighted Dice coefficient of the content words, plus bonuses for a shared figure
        value, a shared name and the same named speaker.
    """
    if len(a.words) < MIN_WORDS or len(b.words) < MIN_WORDS:
        return 0.0
    weight = weights or {}

    def mass(found: Iterable[str]) -> float:
        return sum(weight.get(w, 1.0) for w in found)

    score = 2 * mass(a.words & b.words) / (mass(a.words) + mass(b.words))
    if {v for _, v in a.figures} & {v for _, v in b.figures}:
        score += FIGURE_BONUS
    if a.names & b.names:
        score += NAME_BONUS
    if a.speaker and b.speaker and same_name(a.speaker, b.speaker):
        score += SPEAKER_BONUS
    return score


def topic_weights(found: Sequence[Statement]) -> dict[str, float]:
    """Weights of a story's topic words: those in more than ``TOPIC_SHARE`` of its statements.

    Such a word ("ferry" in a ferry story) weighs ``TOPIC_SHARE * n / df`` (below 1), so two
    statements sharing only the story's subject do not read as one claim. Stories with fewer
    than ``TOPIC_MIN_STATEMENTS`` statements get no weights (too few to tell a topic word).

    Args:
        found: the statements of one story.

    Returns:
        Word -> weight, for the topic words only.
    """
    if len(found) < TOPIC_MIN_STATEMENTS:
        return {}
    df = Counter(w for statement in found for w in statement.words)
    limit = TOPIC_SHARE * len(found)
    return {w: limit / n for w, n in df.items() if n > limit}


def cluster(
    found: Sequence[Statement], weights: Mapping[str, float] | None = None
) -> list[list[int]]:
    """Group statements whose score reaches ``SAME_CLAIM`` (single link over index candidates).

    Candidates come from an inverted index of content words (``RECENT_PER_WORD``,
    ``MAX_CANDIDATES``), never from all pairs.

    Args:
        found: the statements of one story.
        weights: word weights; by default ``topic_weights(found)``.

    Returns:
        Groups of indexes into ``found``, each in index order.
    """
    parent = list(range(len(found)))
    weights = topic_weights(found) if weights is None else weights

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    postings: dict[str, deque[int]] = defaultdict(lambda: deque(maxlen=RECENT_PER_WORD))
    for i, statement in enumerate(found):
        shared: Counter[int] = Counter()
        for word in statement.words:
            shared.update(postings[word])
            postings[word].append(i)
        scored = 0
        for j, _ in shared.most_common():
            if scored == MAX_CANDIDATES:
                break
            if root(i) == root(j):
                continue
            scored += 1
            if similarity(statement, found[j], weights) >= SAME_CLAIM:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(found)):
        groups[root(i)].append(i)
    return list(groups.values())


def source_label(mention: Mention) -> str:
    """The primary speaker behind a mention, as one string.

    A named speaker is their resolved name; an anonymous one is their description qualified
    by the outlet that quotes them ("a person briefed on the talks (Daily Example)"), since
    two outlets' unnamed sources are not known to be the same person. That outlet is the
    relay nearest the speaker when the mention is relayed, else the document's outlet. An
    unsourced assertion is the outlet's own reporting.
    """
    outlet = mention.outlet or f"document {mention.doc}"
    if mention.via:
        outlet = min(mention.via, key=lambda r: r.hop).name
    if mention.attribution is None:
        return f"{outlet} (own reporting)"
    speaker = mention.speaker
    if speaker is not None and speaker.name:
        return speaker.name
    description = (speaker.description if speaker else None) or "an unnamed source"
    return f"{description} ({outlet})" if _is_anonymous(mention) else description


def _is_anonymous(mention: Mention) -> bool:
    """True when the mention is attributed to someone the article does not identify."""
    if mention.attribution is None:
        return False
    speaker = mention.speaker
    if speaker is None:
        return True
    return speaker.anonymous or not (speaker.name or speaker.description)


@dataclass(frozen=True, slots=True)
class _Context:
    """What every claim of a story needs: the timeline, outlets and copy relations."""

    timeline: Timeline
    outlets: Mapping[str, str | None]
    copies: Mapping[str, frozenset[str]]
    texts: Mapping[str, AnalysedDocument]
    titles: Mapping[str, frozenset[Title]] = dataclasses.field(default_factory=dict)


def group_claims(
    story: Story,
    docs: Sequence[AnalysedDocument],
    reuse: Sequence[ReusePair] = (),
    order: Mapping[str, int] | None = None,
) -> tuple[Claim, ...]:
    """Group a story's statements into claims, with origins, sources, echoes and flags.

    Args:
        story: the story; only its documents are read.
        docs: documents (a superset of the story's is fine).
        reuse: text-reuse pairs (any; pairs outside the story are ignored).
        order: ingest position by document id, for ordering undated documents.

    Returns:
        The claims, ordered by their origin's time and position.
    """
    wanted = set(story.documents)
    members = [d for d in docs if d.id in wanted]
    timeline = Timeline.of(members, order)
    members.sort(key=lambda d: timeline.keys[d.id])
    copies: dict[str, set[str]] = defaultdict(set)
    for pair in reuse:
        if pair.doc in wanted and pair.copies in wanted:
            copies[pair.doc].add(pair.copies)
    context = _Context(
        timeline,
        {d.id: outlet_key(d.outlet) for d in members},
        {k: frozenset(v) for k, v in copies.items()},
        {d.id: d for d in members},
        speaker_titles(members),
    )
    pairs = [(doc, s) for doc in members for s in statements(doc)]
    whole = [s for _, s in pairs]
    units: list[Statement] = []
    owner: list[tuple[int, bool]] = []  # unit -> (its statement in ``whole``, background?)
    for index, (doc, statement) in enumerate(pairs):
        for unit, background in clause_units(doc, statement):
            units.append(unit)
            owner.append((index, background))
    # Topic words are a share of whole statements: units would dilute them.
    groups = _rejoin_alone(cluster(units, topic_weights(whole)), owner)
    claims = []
    for group in groups:
        found = _mentions_of(group, units, owner, context)
        if found:
            claims.append(_claim(story.id, found, context))
    claims.sort(key=lambda c: (timeline.keys[c.origin.doc], c.mentions[0].span.start))
    return tuple(claims)


def _rejoin_alone(groups: list[list[int]], owner: Sequence[tuple[int, bool]]) -> list[list[int]]:
    """Put back together the clauses of one statement that joined no other statement.

    Splitting into clauses is for linking statements; a quote whose clauses match nothing
    else is one claim of its speaker, not one claim per clause.
    """
    kept: list[list[int]] = []
    alone: dict[int, list[int]] = defaultdict(list)
    for group in groups:
        statements = {owner[u][0] for u in group}
        if len(statements) == 1:
            alone[statements.pop()].extend(group)
        else:
            kept.append(group)
    return kept + [sorted(units) for units in alone.values()]


def _mentions_of(
    group: Sequence[int],
    units: Sequence[Statement],
    owner: Sequence[tuple[int, bool]],
    context: _Context,
) -> list[Statement]:
    """The statements a group of units states: those with a clause (not background) in it."""
    joined: dict[int, list[Statement]] = defaultdict(list)
    for u in group:
        statement, background = owner[u]
        if not background:
            joined[statement].append(units[u])
    out = []
    for parts in joined.values():
        first = parts[0]
        if len(parts) > 1:
            text = context.texts[first.mention.doc].text
            pieces = _coalesce(text, [p for part in parts for p in part.mention.span.pieces])
            first = dataclasses.replace(
                first,
                mention=dataclasses.replace(first.mention, span=Span.from_fragments(text, pieces)),
                words=frozenset().union(*(p.words for p in parts)),
                figures=frozenset().union(*(p.figures for p in parts)),
                names=frozenset().union(*(p.names for p in parts)),
            )
        out.append(first)
    return out


def _claim(story: str, group: list[Statement], context: _Context) -> Claim:
    """Build one claim from its statements."""
    keys = context.timeline.keys
    group.sort(key=lambda s: (keys[s.mention.doc], s.mention.span.start))
    mentions = tuple(s.mention for s in group)
    first = mentions[0]
    echoing = _echoes(mentions, context)
    labels = _labels(mentions, echoing)
    sources = tuple(dict.fromkeys(labels))
    independent = _independent(mentions, labels, echoing, context.titles)
    flags: list[ClaimFlag] = []
    if independent == 1:
        flags.append("single_source")
    if all(_is_anonymous(m) for m in mentions):
        flags.append("anonymous_only")
    if any(f.kind == "disputed" for s in group if s.attribution for f in s.attribution.flags or ()):
        flags.append("disputed")
    if _contradicted(group, context):
        flags.append("contradicted")
    if any(context.timeline.undated(m.doc) for m in mentions):
        flags.append("undated")
    # The span is part of the id: one statement's clauses can state two claims.
    ids = [
        f"{m.doc}#{m.attribution or f'assertion{m.assertion}'}@{m.span.start}-{m.span.end}"
        for m in mentions
    ]
    return Claim(
        id=content_id("c", ids),
        story=story,
        text=first.span.text,
        mentions=mentions,
        origin=Origin(first.doc, first.outlet, first.published),
        sources=sources,
        independent_sources=independent,
        echoes=tuple(dict.fromkeys(e for found in echoing.values() for e in found)),
        flags=tuple(flags),
    )


def _independent(
    mentions: Sequence[Mention],
    labels: Sequence[str],
    echoing: Mapping[int, list[Echo]],
    titles: Mapping[str, frozenset[Title]] | None = None,
) -> int:
    """Distinct sources among the non-echo mentions, one entity counted once.

    Named sources that are one entity under a longer and a shorter name ("Helixa Health",
    "Helixa") count once; so do a spokesperson and the body they speak for, and a
    description ("the union's president") and the named speaker who holds that title in the
    story (``_identities``). An outlet's own reporting, or an attribution whose speaker the
    article does not name or describe at all, counts only when no identified speaker stands
    behind the claim: restating what others said is not a first-hand source, and an
    unidentified voice is not known to be a different one.
    """
    first_hand = [(m, labels[i]) for i, m in enumerate(mentions) if i not in echoing]
    attributed = [(m, label) for m, label in first_hand if _identified(m)]
    if not attributed:
        return len({label for _, label in first_hand})
    bodies: dict[str, set[str]] = defaultdict(set)
    for mention, label in attributed:
        if mention.speaker is not None and mention.speaker.kind in _BODY_KINDS:
            bodies[mention.doc].add(label)
    # One entity may go by several names, joined through a short one ("Helixa").
    groups: list[tuple[set[str], set[Title]]] = []
    for mention, label in attributed:
        names, roles = _identities(mention, label, titles or {}, bodies[mention.doc])
        joined = [
            g
            for g in groups
            if roles & g[1] or any(same_name(n, seen) for n in names for seen in g[0])
        ]
        merged = (names.union(*(g[0] for g in joined)), roles.union(*(g[1] for g in joined)))
        groups = [g for g in groups if all(g is not j for j in joined)] + [merged]
    return len(groups)


_BODY_KINDS = frozenset({"organization", "government"})
_TITLE_AFTER = re.compile(r",\s+([^,.;:\n\"“”()]{3,60})[,.;]")
_TITLE_BEFORE = re.compile(r"(?:^|[,.;:\n\"“”(])\s*([^,.;:\n\"“”()]{3,60}),\s*$")
_PREMODIFIER = re.compile(r"(?:^|[,.;:\n\"“”(])\s*([^,.;:\n\"“”()]{3,60}?)\s*$")
_TITLE_STOP = frozenset({"the", "a", "an", "of", "for", "at", "to", "in", "its", "his", "her"})
_PREMODIFIER_WORDS = 4


def speaker_titles(docs: Iterable[AnalysedDocument]) -> dict[str, frozenset[Title]]:
    """Named speaker (casefolded) -> the titles written beside their name in the documents.

    News writing gives a person's title once, next to the name: in apposition after it
    ("Dara Ruiz, a harbour board spokeswoman,") or before it ("The union's president, Ana
    Ruiz"), or as a premodifier ("union president Ana Ruiz"). A phrase counts as a title
    when it holds a role noun (``role_nouns`` of ``data/corpus_claims.json``).

    Args:
        docs: the documents of one story.

    Returns:
        The titles found, by speaker name.
    """
    found: dict[str, set[Title]] = defaultdict(set)
    for doc in docs:
        for attribution in doc.attributions:
            speaker = attribution.speaker
            if speaker is None or not speaker.name or speaker.mention is None:
                continue
            for phrase in _title_phrases(doc.text, speaker.mention.start, speaker.mention.end):
                found[speaker.name.casefold()].add(phrase)
    return {name: frozenset(titles) for name, titles in found.items()}


def _title_phrases(text: str, start: int, end: int) -> list[Title]:
    """The titles beside a name at ``text[start:end]`` (appositions and a premodifier)."""
    roles = lexicon().roles
    before = text[max(0, start - 80) : start]
    phrases = []
    if match := _TITLE_AFTER.match(text[end : end + 80]):
        phrases.append(match.group(1))
    if match := _TITLE_BEFORE.search(before):
        phrases.append(match.group(1))
    elif match := _PREMODIFIER.search(before):
        premodifier = words(match.group(1))[-_PREMODIFIER_WORDS:]
        if premodifier and premodifier[-1] in roles:
            phrases.append(" ".join(premodifier))
    titles = [_title_words(p) for p in phrases]
    return [t for t in titles if t & roles]


def _title_words(phrase: str) -> Title:
    """A title's words, articles, prepositions and possessive endings dropped."""
    return frozenset(w.removesuffix("'s") for w in words(phrase)) - _TITLE_STOP


def _identities(
    mention: Mention, label: str, titles: Mapping[str, frozenset[Title]], bodies: set[str]
) -> tuple[set[str], set[Title]]:
    """The names and role titles a mention's source goes by, for counting it once.

    A spokesperson speaks for their body: "a coast guard spokeswoman" is also "coast guard",
    and a spokesperson whose body is not written beside them speaks for the bodies the same
    document cites for the claim ("the office has opened an inquiry, spokesperson Ana Ruiz
    said"). A definite description ending in a role ("the union's president") is a role
    title, and so is a named speaker's title of two words or more; two sources sharing a
    role title are one person (one union has one president).
    """
    lex = lexicon()
    speaker = mention.speaker
    names: set[str] = {label}
    roles: set[Title] = set()
    if speaker is None:
        return names, roles
    own: set[Title] = set()
    if speaker.name:
        own |= titles.get(speaker.name.casefold(), frozenset())
        own.add(_title_words(speaker.name))
    description = (speaker.description or "").casefold()
    if description:
        described = _title_words(description)
        if described & lex.roles:
            own.add(described)
            if description.startswith("the ") and len(described) >= 2:
                roles.add(described)
    for title in own:
        if title & lex.spokesperson:
            body = title - lex.spokesperson - lex.roles
            names |= {" ".join(sorted(body))} if body else bodies - {label}
        elif len(title) >= 2 and speaker.name and title != _title_words(speaker.name):
            roles.add(title)  # a named speaker's title, not their name
    return names, roles


def _identified(mention: Mention) -> bool:
    """True when the mention is attributed to a speaker named or described in the text."""
    speaker = mention.speaker
    return mention.attribution is not None and bool(
        speaker and (speaker.name or speaker.description)
    )


def same_name(a: str, b: str) -> bool:
    """True when one name's words are all among the other's ("Sentinel", "Oskerby Sentinel").

    News writing names a person or body in full once and shortens it after ("Ruth
    Calloway" then "Calloway", "the Lanmoor Coast Guard" then "the coast guard"). Labels
    qualified by an outlet ("an official (Reuters)") only match with the same qualifier.

    Args:
        a: a name.
        b: another name.

    Returns:
        Whether they name the same entity.
    """
    mine, theirs = _name_words(a), _name_words(b)
    if not mine or not theirs:
        return False
    return mine <= theirs or theirs <= mine


def _name_words(name: str) -> frozenset[str]:
    """A name's words, casefolded, without articles."""
    return frozenset(words(name)) - {"the", "a", "an"}


def _relayed_outlets(mention: Mention) -> list[str]:
    """Names a mention passes through: its relays, and its speaker (who may be an outlet)."""
    names = [r.name for r in mention.via]
    if mention.speaker is not None and mention.speaker.name:
        names.append(mention.speaker.name)
    return [n for n in names if n]


def _labels(mentions: Sequence[Mention], echoing: Mapping[int, list[Echo]]) -> list[str]:
    """Each mention's source; an echo's is the source of the mention it echoes."""
    labels: list[str] = []
    first_in: dict[str, int] = {}
    for i, mention in enumerate(mentions):
        first_in.setdefault(mention.doc, i)
        echo = echoing.get(i)
        labels.append(labels[first_in[echo[0].of]] if echo else source_label(mention))
    return labels


def _echoes(mentions: Sequence[Mention], context: _Context) -> dict[int, list[Echo]]:
    """The echoing mentions of a claim (in time order), by index, each with its echoes.

    A mention copies when its document copies (reuse) an earlier document carrying the
    claim (a copy of a copy echoes the original); it cites when its relay chain or its
    speaker names the outlet of an earlier document carrying the claim. Both can hold (a
    rewrite of a relay): the copy comes first, then the citation of another document.
    """
    keys = context.timeline.keys
    carriers: list[str] = list(dict.fromkeys(m.doc for m in mentions))
    echoing: dict[int, list[Echo]] = {}
    for i, mention in enumerate(mentions):
        earlier = [d for d in carriers if keys[d] < keys[mention.doc]]
        found = [e for e in (_copy_echo(mention, earlier, context),) if e is not None]
        cite = _cite_echo(mention, earlier, context)
        if cite is not None and all(cite.of != e.of for e in found):
            found.append(cite)
        if found:
            echoing[i] = found
    return echoing


def _copy_echo(mention: Mention, earlier: Sequence[str], context: _Context) -> Echo | None:
    """The copies-echo of a mention, if its document copies an earlier carrier.

    When the copied document is itself a copy of an earlier carrier, the echo is of that
    original: the text came from there.
    """
    copied = context.copies.get(mention.doc, frozenset())
    source = next((d for d in earlier if d in copied), None)
    seen = set()
    while source is not None and source not in seen:
        seen.add(source)
        original = next((d for d in earlier if d in context.copies.get(source, ())), None)
        if original is None:
            break
        source = original
    return Echo(mention.doc, source, "copies") if source else None


def _cite_echo(mention: Mention, earlier: Iterable[str], context: _Context) -> Echo | None:
    """The cites-echo of a mention, if it names the outlet of an earlier carrier."""
    relayed = _relayed_outlets(mention)
    if not relayed:
        return None
    for doc in earlier:
        outlet = context.outlets.get(doc)
        if outlet and any(_outlet_named(name, outlet) for name in relayed):
            return Echo(mention.doc, doc, "cites")
    return None


def _outlet_named(name: str, outlet: str) -> bool:
    """True when ``name`` names the outlet (key ``outlet``), in full, by alias or shortened."""
    key = outlet_key(name)
    return key == outlet or (key is not None and same_name(key, outlet))


def _contradicted(group: Sequence[Statement], context: _Context) -> bool:
    """Clashing figures for one quantity at one time, or a mention disputed by another's speaker."""
    timeline = context.timeline
    seen: dict[tuple[str | None, str | None], tuple[str, float]] = {}
    for statement in group:
        doc = statement.mention.doc
        for what, value in statement.figures:
            key = (what, timeline.day(doc))
            if what is None or not can_conflict(what):
                continue
            other = seen.setdefault(key, (doc, value))
            if other[0] != doc and other[1] != value:
                return True
    speakers = {(s.mention.doc, s.mention.attribution): _speaker_names(s.mention) for s in group}
    for statement in group:
        mine = (statement.mention.doc, statement.mention.attribution)
        for flag in statement.attribution.flags or () if statement.attribution else ():
            if flag.kind != "disputed" or not flag.by:
                continue
            by = flag.by.casefold()
            if any(by in names for k, names in speakers.items() if k != mine):
                return True
    return False


def _speaker_names(mention: Mention) -> set[str]:
    """The casefolded name and description of a mention's speaker."""
    speaker = mention.speaker
    if speaker is None:
        return set()
    return {n.casefold() for n in (speaker.name, speaker.description) if n}
