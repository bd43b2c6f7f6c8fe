"""The cue lexicon and punctuation tables, loaded once from ``sourcetrace/data``."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Token

CUES_FILE = "cues.json"
MARKS_FILE = "attribution_marks.json"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """What counts as a cue, and which dependents hold a cue's content.

    Attributes:
        verbs: verb lemma -> category name.
        content_roles: category name -> the roles that hold the content (spaCy dependency
            labels such as ``ccomp``, plus ``quote`` for an adjacent quotation).
        prepositional: verb lemma -> prepositions whose object is the content.
        general_prepositions: prepositions whose object is the content for any lexicon verb.
        particles: verb lemma -> (particles, category): phrasal verbs that are cues only
            with one of their particles ("point out").
        according: (first word, preposition) pairs of "according to"-like cues.
        surface_forms: lower-case word -> lemma, for forms the lemmatizer gets wrong.
        nouns: lemmas of nouns that attribute a "that"-clause ("claim", "warning").
    """

    verbs: dict[str, str]
    content_roles: dict[str, frozenset[str]]
    prepositional: dict[str, frozenset[str]]
    general_prepositions: frozenset[str]
    particles: dict[str, tuple[frozenset[str], str]]
    according: frozenset[tuple[str, str]]
    surface_forms: dict[str, str]
    nouns: frozenset[str]

    def category(self, lemma: str, particles: set[str]) -> str | None:
        """Return the cue category of a verb (by lemma, and the particles it has), or None."""
        if lemma in self.particles:
            wanted, category = self.particles[lemma]
            if wanted & particles:
                return category
        return self.verbs.get(lemma)

    def lemma(self, token: Token) -> str:
        """Return the token's lemma, lower case, corrected where the lemmatizer errs."""
        return self.surface_forms.get(token.lower_) or token.lemma_.lower()

    def prepositions(self, token: Token) -> frozenset[str]:
        """Return the prepositions whose object is a verb's content ("call for", "talk about")."""
        lemma = self.lemma(token)
        specific = self.prepositional.get(lemma, frozenset())
        return specific | self.general_prepositions if lemma in self.verbs else specific

    def roles(self, category: str) -> frozenset[str]:
        """Return the content roles of a category."""
        return self.content_roles.get(category, frozenset())


@dataclass(frozen=True, slots=True)
class Marks:
    """Punctuation classes: quotation marks by role, dashes, and non-source labels."""

    double_open: frozenset[str]
    double_close: frozenset[str]
    double_either: frozenset[str]
    single_open: frozenset[str]
    single_close: frozenset[str]
    dashes: tuple[str, ...]
    label_stopwords: frozenset[str]
    label_max_tokens: int
    double_marks: tuple[str, ...]
    """All double quotation marks, longest first (so that ``''`` wins over ``'``)."""


def _read(name: str) -> Any:
    """Parse one JSON file shipped in ``sourcetrace/data``."""
    return json.loads(resources.files("sourcetrace").joinpath("data", name).read_text("utf-8"))


def _sets(table: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """Turn a JSON table of lists into frozensets."""
    return {key: frozenset(values) for key, values in table.items()}


@functools.cache
def lexicon() -> Lexicon:
    """Return the cue lexicon (read once per process)."""
    data = _read(CUES_FILE)
    return Lexicon(
        verbs=dict(data["verbs"]),
        content_roles={name: frozenset(c["content"]) for name, c in data["categories"].items()},
        prepositional=_sets(data["prepositional"]["cues"]),
        general_prepositions=frozenset(data["prepositional"]["general"]),
        particles={
            lemma: (frozenset(entry["particles"]), entry["category"])
            for lemma, entry in data["particles"]["cues"].items()
        },
        according=frozenset((first, prep) for first, prep in data["according_to"]["cues"]),
        surface_forms=dict(data["surface_forms"]["forms"]),
        nouns=frozenset(data["nouns"]["lemmas"]),
    )


@functools.cache
def marks() -> Marks:
    """Return the punctuation tables (read once per process)."""
    data = _read(MARKS_FILE)
    double, single = data["double_quotes"], data["single_quotes"]
    all_double = {*double["open"], *double["close"], *double["either"]}
    return Marks(
        double_open=frozenset(double["open"]),
        double_close=frozenset(double["close"]),
        double_either=frozenset(double["either"]),
        single_open=frozenset(single["open"]),
        single_close=frozenset(single["close"]),
        dashes=tuple(data["dashes"]),
        label_stopwords=frozenset(data["label_stopwords"]),
        label_max_tokens=int(data["label_max_tokens"]),
        double_marks=tuple(sorted(all_double, key=lambda m: (-len(m), m))),
    )
