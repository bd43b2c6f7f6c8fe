"""The orchestrator: from ingested documents to analysed records.

Stages, in order, for each document:

1. **check** (``ingest.check_text``): refuse empty, over-long or non-English text.
2. **parse**: the spaCy pipeline (``nlp.load_pipeline``) tokenises, tags, parses and finds
   entities.
3. **attribution** (``attribution.learned.load_extractor``): the rule-based extractor
   (``attribution.extract_attributions``) proposes direct quotes, reported speech, "according
   to", mixed quotes, colon and dash attributions; the learned model, trained on PolNeAR,
   tags cues and each cue's source and content, reading the rules' output as one of its
   features. ``--model rules`` runs the rules alone.
4. **speakers** (``speakers.resolve_speakers``): who is really speaking behind each source:
   name, description, kind, anonymity, with pronouns and short references resolved.
5. **relays** (``relays.find_relays``): the outlets each statement was relayed through,
   nearest the speaker first, with the scoping rule of the module's docstring.
6. **flags** (``flags.find_flags``): hedged, unverified, disputed and retracted statements,
   each tied to the attribution it qualifies, with its evidence.
7. **figures** (``figures.extract_figures``): every quantitative claim, with its value,
   qualifier, what it counts, and the attribution whose content holds it.
8. **assertions** (``assertions.find_assertions``): what the article states on its own
   authority that a fact-checker would check.

The stages 4 to 8 read the parsed document through one shared ``docindex.DocIndex`` (token
offsets, words, lemmas, sentence bounds, entities as plain lists), built once per document.

The document's own outlet, when the input named none, is looked up from its URL in the outlet
table (``outlets.outlet_for_url``, ``data/outlets.json``) before the relays stage, which
never counts the article's own outlet as a relay.

Each stage is a function from the parsed document to frozen records with character offsets;
``Analyzer`` runs them in one process and ``analyze_stream`` fans a batch out over worker
processes, keeping input order and turning each document's failure into a ``Failure`` so
that the batch goes on.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import functools
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from . import assertions, figures, flags, ingest, outlets, relays, speakers
from .attribution.learned import Extractor, load_extractor
from .docindex import DocIndex
from .errors import InputError
from .nlp import load_pipeline
from .records import (
    AnalysedDocument,
    Assertion,
    Attribution,
    Failure,
    Figure,
    RawDocument,
)
from .settings import AnalysisSettings

Result = AnalysedDocument | Failure

PIPE_BATCH_SIZE = 16
"""Documents per ``nlp.pipe`` batch. News articles run 500-2,000 words; larger batches gave no
further speed on the PolNeAR dev texts and cost memory (``make bench``)."""

WORKER_BACKLOG = 4
"""Documents queued per worker beyond the one it is analysing: enough to keep workers busy,
small enough that a long input stream is never read far ahead of the output."""


@dataclass(frozen=True, slots=True)
class StageResults:
    """What the stages after the parse produced for one document.

    Attributes:
        outlet: the document's outlet (the input's, else looked up from its URL).
        extracted: the attribution step's output, before speakers, relays and flags.
        attributions: the attributions with speaker, via and flags filled in.
        figures: the figures.
        assertions: the unsourced assertions.
    """

    outlet: str | None
    extracted: tuple[Attribution, ...]
    attributions: tuple[Attribution, ...]
    figures: tuple[Figure, ...]
    assertions: tuple[Assertion, ...]


class Analyzer:
    """Runs the stages over documents in this process, with one loaded spaCy pipeline."""

    def __init__(self, settings: AnalysisSettings | None = None) -> None:
        """Load the pipeline.

        Args:
            settings: analysis settings; None uses the defaults.

        Raises:
            ModelError: the spaCy pipeline cannot be loaded.
        """
        self.settings = settings or AnalysisSettings()
        self.nlp: Language = load_pipeline(self.settings.spacy_model, self.settings.max_chars)
        self.extract: Extractor = load_extractor(self.settings.model, self.settings.model_dir)

    def analyze(self, raw: RawDocument) -> AnalysedDocument:
        """Analyse one document.

        Raises:
            InputError: the text is refused by the check stage.
        """
        self._check(raw)
        return self._finish(raw, self.nlp(raw.text))

    def analyze_many(self, items: Iterable[RawDocument | Failure]) -> Iterator[Result]:
        """Analyse documents in input order; refused ones come back as ``Failure``."""
        pending: list[RawDocument] = []
        for item in items:
            if isinstance(item, Failure):
                yield from self._flush(pending)
                pending = []
                yield item
                continue
            try:
                self._check(item)
            except InputError as exc:
                yield from self._flush(pending)
                pending = []
                yield Failure(exc.doc, exc.reason)
                continue
            pending.append(item)
            if len(pending) >= PIPE_BATCH_SIZE:
                yield from self._flush(pending)
                pending = []
        yield from self._flush(pending)

    def _flush(self, batch: list[RawDocument]) -> Iterator[Result]:
        """Parse a checked batch with ``nlp.pipe`` and run the later stages."""
        if not batch:
            return
        docs = self.nlp.pipe((raw.text for raw in batch), batch_size=PIPE_BATCH_SIZE)
        for raw, doc in zip(batch, docs, strict=True):
            yield _guarded(raw, functools.partial(self._finish, raw, doc))

    def _check(self, raw: RawDocument) -> None:
        """Stage 1: refuse text the later stages cannot analyse."""
        ingest.check_text(
            raw.origin or raw.id,
            raw.text,
            max_chars=self.settings.max_chars,
            require_english=self.settings.check_language,
        )

    def run_stages(self, raw: RawDocument, doc: Doc) -> StageResults:
        """Run the stages after the parse (3 to 8) on one parsed document."""
        extracted = self.extract(doc)
        outlet = raw.outlet or _outlet_of(raw.url)
        index = DocIndex(doc)  # one read of the tokens, shared by the stages below
        resolved = speakers.resolve_speakers(doc, extracted, index=index)
        relayed = relays.find_relays(doc, extracted, own_outlet=outlet, index=index)
        flagged = flags.find_flags(doc, extracted, index=index)
        attributions = tuple(
            dataclasses.replace(a, speaker=s, via=v, flags=f)
            for a, s, v, f in zip(extracted, resolved, relayed, flagged, strict=True)
        )
        found = figures.extract_figures(doc, attributions, index=index)
        return StageResults(
            outlet=outlet,
            extracted=extracted,
            attributions=attributions,
            figures=found,
            assertions=assertions.find_assertions(doc, attributions, found, index=index),
        )

    def _finish(self, raw: RawDocument, doc: Doc) -> AnalysedDocument:
        """Stages after the parse, as a record."""
        stages = self.run_stages(raw, doc)
        return AnalysedDocument(
            id=raw.id,
            text=raw.text,
            attributions=stages.attributions,
            figures=stages.figures,
            assertions=stages.assertions,
            title=raw.title,
            outlet=stages.outlet,
            url=raw.url,
            published=raw.published,
            metadata=raw.metadata,
        )


def _outlet_of(url: str | None) -> str | None:
    """The canonical name of the outlet publishing at ``url``, if it is in the table."""
    found = outlets.outlet_for_url(url) if url else None
    return found.name if found else None


def _guarded(raw: RawDocument, run: Any) -> Result:
    """Run one document's stages; any failure becomes a ``Failure`` so the batch goes on."""
    try:
        result: AnalysedDocument = run()
    except InputError as exc:
        return Failure(exc.doc, exc.reason)
    except Exception as exc:  # a bug on one document must not sink the batch
        return Failure(raw.origin or raw.id, f"internal error: {type(exc).__name__}: {exc}")
    return result


def analyze_stream(
    items: Iterable[RawDocument | Failure], settings: AnalysisSettings
) -> Iterator[Result]:
    """Analyse a stream of documents, in input order, in ``settings.jobs`` processes.

    Args:
        items: ingested documents, and ingest failures to pass through in place.
        settings: analysis settings (``jobs`` picks the number of worker processes).

    Yields:
        One ``AnalysedDocument`` or ``Failure`` per input item, in input order.

    Raises:
        ModelError: the spaCy pipeline cannot be loaded (before anything is yielded).
    """
    if settings.jobs <= 1:
        yield from Analyzer(settings).analyze_many(items)
        return
    # Fail fast, in this process, before starting workers.
    load_pipeline(settings.spacy_model, settings.max_chars)
    load_extractor(settings.model, settings.model_dir)
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=settings.jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(settings,),
    ) as pool:
        window: collections.deque[concurrent.futures.Future[Result] | Failure] = collections.deque()
        limit = settings.jobs * (1 + WORKER_BACKLOG)
        for item in items:
            window.append(item if isinstance(item, Failure) else pool.submit(_work, item))
            while len(window) >= limit:
                yield _resolve(window.popleft())
        while window:
            yield _resolve(window.popleft())


def _resolve(entry: concurrent.futures.Future[Result] | Failure) -> Result:
    """Return a finished result from the window."""
    return entry if isinstance(entry, Failure) else entry.result()


_worker_analyzer: Analyzer | None = None


def _init_worker(settings: AnalysisSettings) -> None:
    """Load the pipeline once in each worker process."""
    global _worker_analyzer
    _worker_analyzer = Analyzer(settings)


def _work(raw: RawDocument) -> Result:
    """Analyse one document in a worker process."""
    assert _worker_analyzer is not None, "worker used before _init_worker"
    return _guarded(raw, functools.partial(_worker_analyzer.analyze, raw))


@functools.lru_cache(maxsize=2)
def _default_analyzer(settings: AnalysisSettings) -> Analyzer:
    """Return the analyzer ``analyze()`` shares between calls."""
    return Analyzer(settings)


def analyze(
    text: str, *, settings: AnalysisSettings | None = None, **metadata: Any
) -> AnalysedDocument:
    """Analyse one article's text.

    Args:
        text: the article text; offsets in the result index into it.
        settings: analysis settings; None uses the defaults.
        **metadata: ``id``, ``title``, ``outlet``, ``url``, ``published``; anything else is
            kept as metadata.

    Returns:
        The analysed document.

    Raises:
        InputError: the text is empty, too long, or not English.
        ModelError: the spaCy pipeline cannot be loaded.
    """
    known = {k: metadata.pop(k) for k in ("title", "outlet", "url", "published") if k in metadata}
    doc_id = str(metadata.pop("id", "document"))
    raw = RawDocument(id=doc_id, text=text, origin=doc_id, metadata=metadata, **known)
    return _default_analyzer(settings or AnalysisSettings()).analyze(raw)


def analyze_paths(
    paths: Iterable[str], settings: AnalysisSettings, stdin: Any = None
) -> Iterator[Result]:
    """Ingest files, directories, JSONL or standard input (``-``) and analyse every document.

    Args:
        paths: files, directories (read recursively) or ``-`` for ``stdin``.
        settings: analysis settings.
        stdin: the stream ``-`` reads; None means ``sys.stdin``.

    Yields:
        One ``AnalysedDocument`` or ``Failure`` per document, in input order.
    """
    yield from analyze_stream(ingest.iter_documents(list(paths), stdin=stdin), settings)
