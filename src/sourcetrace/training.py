"""``sourcetrace train polnear DIR``: train the learned attribution model on PolNeAR.

Steps, in order:

1. read the ``train`` split of ``DIR`` (and ``dev`` when present, for the scores in the
   model's ``meta.json``), refusing malformed data with ``DataError``;
2. parse every text with the spaCy pipeline and run the rule-based extractor, whose output
   is one of the model's features;
3. build the cue tagger's sequences (one per sentence) and the role tagger's (one per gold
   cue: the window around it, tokens labelled source, content or outside);
4. train both conditional random fields with crfsuite (L-BFGS with elastic-net
   regularisation; deterministic for the same data, so seeded runs are reproducible);
5. write ``cue.crfsuite``, ``role.crfsuite`` and ``meta.json`` to the output folder, then
   score the new model on dev.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.tokens import Doc

from . import __version__
from .attribution import extract_attributions
from .attribution.learned.features import DocFeatures
from .attribution.learned.model import CUE_MODEL, FORMAT_VERSION, META, ROLE_MODEL
from .errors import DataError
from .evaluation.brat import GoldAttribution, GoldDocument, read_polnear
from .nlp import load_pipeline
from .settings import AnalysisSettings, TrainingSettings

Log = Callable[[str], None]
Sequences = tuple[list[list[list[str]]], list[list[str]]]


def train_polnear(
    data: Path,
    output: Path,
    analysis: AnalysisSettings,
    training: TrainingSettings,
    log: Log = print,
) -> dict[str, Any]:
    """Train the attribution model on ``data/train`` and write it to ``output``.

    Args:
        data: a PolNeAR folder holding ``train/`` (and optionally ``dev/``).
        output: the model folder to write (created if needed).
        analysis: which spaCy pipeline parses the texts.
        training: iterations, regularisation, seed.
        log: where progress lines go.

    Returns:
        The model's metadata, as written to ``meta.json``.

    Raises:
        DataError: the data folder is malformed (the message names the file).
        ModelError: the spaCy pipeline cannot be loaded.
    """
    started = time.perf_counter()
    split = data / "train"
    if not split.is_dir():
        raise DataError(f"{data}: no train/ folder (expected a PolNeAR folder with train/)")
    gold = read_polnear(split, training.limit)
    log(f"read {len(gold)} training documents from {split}")
    nlp = load_pipeline(analysis.spacy_model, analysis.max_chars)
    cues: Sequences = ([], [])
    roles: Sequences = ([], [])
    docs = nlp.pipe((g.text for g in gold), batch_size=16)
    for n, (g, doc) in enumerate(zip(gold, docs, strict=True), start=1):
        _add_instances(g, doc, cues, roles)
        if n % 50 == 0 or n == len(gold):
            log(f"parsed {n}/{len(gold)} documents ({time.perf_counter() - started:.0f} s)")
    output.mkdir(parents=True, exist_ok=True)
    for name, (xs, ys) in ((CUE_MODEL, cues), (ROLE_MODEL, roles)):
        log(f"training {name} on {len(xs)} sequences, {training.iterations} iterations")
        _train(xs, ys, output / name, training)
        log(f"wrote {output / name} ({time.perf_counter() - started:.0f} s)")
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "sourcetrace": __version__,
        "spacy_pipeline": nlp.meta.get("name", ""),
        "spacy_pipeline_version": nlp.meta.get("version", ""),
        "data": str(split),
        "documents": len(gold),
        "cue_sequences": len(cues[0]),
        "role_sequences": len(roles[0]),
        "training": {
            "iterations": training.iterations,
            "c1": training.c1,
            "c2": training.c2,
            "seed": training.seed,
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    (output / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    log(f"done in {meta['seconds']} s: {output}")
    return meta


def _add_instances(gold: GoldDocument, doc: Doc, cues: Sequences, roles: Sequences) -> None:
    """Add one document's cue and role sequences with their gold labels."""
    feats = DocFeatures.build(doc, extract_attributions(doc))
    token_of = _token_index(doc)
    by_cue: dict[tuple[int, ...], list[GoldAttribution]] = {}
    for attribution in gold.attributions:
        if attribution.cue is None:
            continue
        cue = tuple(sorted(_tokens(token_of, attribution.cue.pieces)))
        if cue:
            by_cue.setdefault(cue, []).append(attribution)
    cue_labels = {t: _begin_or_inside(cue, k, "CUE") for cue in by_cue for k, t in enumerate(cue)}
    for start, end, rows in feats.cue_sequences():
        cues[0].append(rows)
        cues[1].append([cue_labels.get(i, "O") for i in range(start, end)])
    for cue, attributions in by_cue.items():
        source: set[int] = set()
        content: set[int] = set()
        for a in attributions:
            if a.source is not None:
                source |= _tokens(token_of, a.source.pieces)
            content |= _tokens(token_of, a.content.pieces)
        start, end, rows = feats.role_sequence(list(cue))
        roles[0].append(rows)
        roles[1].append(_role_labels(range(start, end), set(cue), source, content))


def _role_labels(
    window: Iterable[int], cue: set[int], source: set[int], content: set[int]
) -> list[str]:
    """BIO labels of a window: source before content where they overlap; cue tokens O."""
    labels: list[str] = []
    previous = "O"
    for i in window:
        role = None if i in cue else "SRC" if i in source else "CON" if i in content else None
        label = "O" if role is None else ("I-" if previous.endswith(role) else "B-") + role
        labels.append(label)
        previous = label
    return labels


def _begin_or_inside(cue: Sequence[int], k: int, role: str) -> str:
    """``B-`` for the first token of a run, ``I-`` for the rest."""
    return ("I-" if k > 0 and cue[k - 1] == cue[k] - 1 else "B-") + role


def _token_index(doc: Doc) -> list[int]:
    """Token index of every character of the text (-1 for white space between tokens)."""
    index = [-1] * (len(doc.text) + 1)
    for token in doc:
        for c in range(token.idx, token.idx + len(token.text)):
            index[c] = token.i
    return index


def _tokens(token_of: list[int], pieces: Iterable[tuple[int, int]]) -> set[int]:
    """Tokens that share a character with the pieces."""
    return {token_of[c] for s, e in pieces for c in range(s, e) if token_of[c] >= 0}


def _train(xs: list[list[list[str]]], ys: list[list[str]], path: Path, s: TrainingSettings) -> None:
    """Train one CRF and write it to ``path``."""
    order = list(range(len(xs)))
    random.Random(s.seed).shuffle(order)
    trainer = pycrfsuite.Trainer(verbose=False)
    for i in order:
        trainer.append(xs[i], ys[i])
    trainer.set_params(
        {
            "c1": s.c1,
            "c2": s.c2,
            "max_iterations": s.iterations,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(path))
