"""Generate a synthetic corpus with realistic story structure, for timing the cross-article step.

Texts are made of invented words (no real article text), but shaped like news coverage:

- events, each covered by 3-15 articles from different outlets over a few days;
- per event, an original report; other articles are wire copies (the original with a new
  lede), light rewrites (sentences reordered, about one word in ten changed) or independent
  reports (their own sentences from the event's names and terms, sharing quotes with others);
- attributions (direct quotes by the event's named speakers, some relayed "according to"
  another outlet) and a figure per article (a toll that moves as the days pass);
- a general vocabulary drawn with Zipf-like frequencies, so common words are common.

Run ``python scripts/gencorpus.py N [--seed S] > corpus.jsonl`` for N documents as JSONL of the
document contract (``docs/schema.md``, with ``text``); ``generate(n, seed)`` gives the records.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from sourcetrace.records import AnalysedDocument, Attribution, Figure, Relay, Span, Speaker

OUTLETS = tuple(f"Outlet {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(60))
SYLLABLES = ("ka", "lo", "mi", "ter", "san", "vo", "ril", "den", "pa", "gor", "the", "nu", "bas")
VOCABULARY = 6000
EVENT_TERMS = 25
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


@dataclass
class _Event:
    """One event: its people, terms, start time, toll and the original report's sentences."""

    number: int
    people: list[str]
    terms: list[str]
    start: datetime
    toll: int
    quotes: list[str]


class _Writer:
    """Builds one article's text sentence by sentence, keeping attribution and figure offsets."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.text = ""
        self.attributions: list[Attribution] = []
        self.figures: list[Figure] = []

    def plain(self, sentence: str) -> None:
        self.text += sentence + " "

    def quote(self, words: str, speaker: str, relay: str | None) -> None:
        base = len(self.text)
        content = words.capitalize()
        said = f"“{content},” said {speaker}"
        tail = f", according to {relay}." if relay else "."
        self.text += said + tail + " "
        c0 = base + 1
        s0 = base + said.index(" said ") + 6
        q0 = base + said.index(" said ") + 1
        via: tuple[Relay, ...] = ()
        if relay:
            r0 = base + len(said) + len(", according to ")
            via = (Relay(name=relay, kind="outlet", start=r0, end=r0 + len(relay)),)
        source = Span(speaker, s0, s0 + len(speaker))
        self.attributions.append(
            Attribution(
                id=f"{self.doc_id}:a{len(self.attributions) + 1}",
                type="direct",
                source=source,
                cue=Span("said", q0, q0 + 4),
                content=Span(content, c0, c0 + len(content)),
                speaker=Speaker(speaker, None, "person", False, source),
                via=via,
                flags=(),
            )
        )

    def figure(self, value: int) -> None:
        base = len(self.text)
        number = str(value)
        self.text += f"At least {number} people were hurt, officials said. "
        start = base + len("At least ")
        self.figures.append(
            Figure(number, start, start + len(number), float(value), "at_least", what="people hurt")
        )


def _vocabulary(rng: random.Random) -> list[str]:
    """Distinct invented words."""
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _sentence(rng: random.Random, vocab: list[str], weights: list[float], event: _Event) -> str:
    """A sentence of general words with a few of the event's terms and names mixed in."""
    words = rng.choices(vocab, weights, k=rng.randint(10, 22))
    for _ in range(rng.randint(1, 3)):
        words[rng.randrange(len(words))] = rng.choice(event.terms)
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(event.people))
    return " ".join(words).capitalize() + "."


def _event(
    rng: random.Random, number: int, vocab: list[str], weights: list[float], span_days: float
) -> _Event:
    """A new event with its own names and terms, starting some day within ``span_days``."""
    people = [
        " ".join(rng.choice(vocab).capitalize() for _ in range(2)) for _ in range(rng.randint(2, 4))
    ]
    terms = rng.sample(vocab[VOCABULARY // 3 :], EVENT_TERMS)
    start = START + timedelta(days=rng.uniform(0, span_days))
    quotes = [" ".join(rng.choices(vocab, weights, k=rng.randint(8, 16))) for _ in range(4)]
    return _Event(number, people, terms, start, rng.randint(5, 400), quotes)


def _original(
    rng: random.Random, writer: _Writer, vocab: list[str], weights: list[float], event: _Event
) -> None:
    """An independent report: own sentences, two of the event's quotes, a figure."""
    for _ in range(rng.randint(12, 25)):
        writer.plain(_sentence(rng, vocab, weights, event))
        if rng.random() < 0.12:
            relay = rng.choice(OUTLETS) if rng.random() < 0.3 else None
            writer.quote(rng.choice(event.quotes), rng.choice(event.people), relay)
    writer.figure(event.toll + rng.randint(0, 20))


def _rewrite(rng: random.Random, text: str, vocab: list[str], change: float) -> str:
    """Reorder some sentences and change about ``change`` of the words (quotes kept apart)."""
    sentences = [s for s in text.split(". ") if s]
    for _ in range(len(sentences) // 4):
        i, j = rng.randrange(len(sentences)), rng.randrange(len(sentences))
        sentences[i], sentences[j] = sentences[j], sentences[i]
    out = []
    for sentence in sentences:
        words = sentence.split(" ")
        out.append(" ".join(rng.choice(vocab) if rng.random() < change else w for w in words))
    return ". ".join(out)


def _span(span: Span, delta: int) -> Span:
    """The span moved ``delta`` characters along."""
    return replace(span, start=span.start + delta, end=span.end + delta)


def _shift(attribution: Attribution, delta: int, doc_id: str) -> Attribution:
    """An attribution of a copied text, moved ``delta`` characters along, renamed for ``doc_id``."""
    speaker = attribution.speaker
    if speaker is not None and speaker.mention is not None:
        speaker = replace(speaker, mention=_span(speaker.mention, delta))
    return replace(
        attribution,
        id=f"{doc_id}:{attribution.id.rsplit(':', 1)[1]}",
        source=_span(attribution.source, delta) if attribution.source else None,
        cue=_span(attribution.cue, delta),
        content=_span(attribution.content, delta),
        speaker=speaker,
        via=tuple(
            replace(r, start=r.start + delta, end=r.end + delta) for r in attribution.via or ()
        ),
    )


def generate(n_docs: int, seed: int = 0, per_day: float | None = None) -> list[AnalysedDocument]:
    """Generate ``n_docs`` documents in events of 3-15 articles.

    Args:
        n_docs: how many documents.
        seed: random seed; the same seed gives the same corpus.
        per_day: a steady flow of this many documents a day, so a larger corpus spans more
            days (at least one year); None spreads every corpus over one year, so a larger
            corpus is denser in time.

    Returns:
        The documents, in publication order within each event, events in creation order.
    """
    rng = random.Random(seed)
    span_days = 365.0 if per_day is None else max(365.0, n_docs / per_day)
    vocab = _vocabulary(rng)
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]
    docs: list[AnalysedDocument] = []
    number = 0
    while len(docs) < n_docs:
        event = _event(rng, number, vocab, weights, span_days)
        size = min(rng.randint(3, 15), n_docs - len(docs))
        outlets = rng.sample(OUTLETS, size)
        first_text = ""
        first: AnalysedDocument | None = None
        for k in range(size):
            doc_id = f"e{number}-d{k}"
            writer = _Writer(doc_id)
            roll = rng.random()
            if k == 0 or roll >= 0.4:
                _original(rng, writer, vocab, weights, event)
                text = writer.text
            elif roll < 0.25:
                # A wire copy: a new lede, then the original with its attributions moved along.
                writer.plain(_sentence(rng, vocab, weights, event))
                delta = len(writer.text)
                assert first is not None  # k > 0: the event's original exists
                text = writer.text + first_text
                writer.attributions = [_shift(a, delta, doc_id) for a in first.attributions]
                writer.figures = [
                    replace(f, start=f.start + delta, end=f.end + delta) for f in first.figures
                ]
            else:
                text = _rewrite(rng, first_text, vocab, 0.08)
                writer.attributions, writer.figures = [], []
            published = event.start + timedelta(hours=k * rng.uniform(1, 18))
            docs.append(
                AnalysedDocument(
                    id=doc_id,
                    text=text.strip(),
                    attributions=tuple(writer.attributions),
                    figures=tuple(writer.figures),
                    title=_sentence(rng, vocab, weights, event)[:80],
                    outlet=outlets[k],
                    published=published.isoformat(timespec="seconds"),
                    metadata={"event": event.number},
                )
            )
            if k == 0:
                first, first_text = docs[-1], docs[-1].text
        number += 1
    return docs


def main() -> None:
    """Write a generated corpus as JSONL to standard output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--per-day", type=float, help="documents a day (default: any size over one year)"
    )
    args = parser.parse_args()
    for doc in generate(args.n, args.seed, args.per_day):
        sys.stdout.write(json.dumps(doc.to_dict(include_text=True), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
