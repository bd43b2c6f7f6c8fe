"""Throughput of sourcetrace against the bare spaCy pipeline, measured in the same run.

Over the PolNeAR dev texts (``../shared/polnear/dev/text``; skipped with a message where
absent) it times, interleaved and repeated (best of ``--repeat``, default 3, because the
machine is shared and noisy):

- ``spacy``: the bare spaCy pipeline, ``nlp.pipe`` over the texts with the batch size the
  analyzer uses (``pipeline.PIPE_BATCH_SIZE``);
- ``analyze``: the full pipeline in this process (``analyze_stream`` with one job: text
  check, parse, attribution);
- ``analyze-all``: the full pipeline over every core (``analyze_stream`` with
  ``jobs=os.cpu_count()``), including the start-up of the worker processes, which each load
  the pipeline, as a real run pays it;
- ``ingest-all``: ``sourcetrace ingest`` of the same texts over every core into a new SQLite
  database: analysis, one commit per document, then the cross-article step (the corpus
  throughput issue 5 asks for; its ratio to ``analyze-all`` is the cost of storing).

It prints articles/s and words/s for each, the ratio of analyze's time to bare spaCy's (the
cost of our own stages), and peak resident memory of this process and of its largest worker
(``ru_maxrss`` for this process; for workers, ``VmHWM`` sampled from ``/proc``, see
``WorkerPeak``).

Then the cost of each stage after the parse: the texts that pass the check are parsed once
(``nlp.pipe``), and each stage function of ``Analyzer.run_stages`` is timed over all the parsed
docs with the same calls and arguments (its inputs computed beforehand, untimed; best of
``--repeat``, interleaved). The table gives each stage's seconds and its share of the
attribution step (rules + learned model), and the line "added stages / attribution step"
checks the sourcing target: speakers, relays, flags, figures and assertions together under
25% of the attribution step. They read the document through the shared index
(``docindex.DocIndex``) that ``Analyzer.run_stages`` builds once per document; building it is
the ``index`` row, counted with the added stages. Glue in ``Analyzer.run_stages`` (the outlet
lookup, ``dataclasses.replace``, building the record) is not timed. ``--json`` prints all of it
as JSON.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench.py [--repeat N] [--json]``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from sourcetrace import assertions, figures, flags, ingest, relays, speakers, store
from sourcetrace.docindex import DocIndex
from sourcetrace.errors import InputError
from sourcetrace.nlp import load_pipeline
from sourcetrace.pipeline import PIPE_BATCH_SIZE, Analyzer, analyze_stream
from sourcetrace.records import Attribution, Failure, Figure, RawDocument
from sourcetrace.settings import AnalysisSettings

DEV_TEXTS = Path(__file__).resolve().parent.parent.parent / "shared" / "polnear" / "dev" / "text"

RUNS = ("spacy", "analyze", "analyze-all")
LABELS = {
    "spacy": "bare spaCy nlp.pipe (1 process)",
    "analyze": "sourcetrace analyze (1 process)",
    "analyze-all": "sourcetrace analyze ({jobs} jobs)",
    "ingest-all": "sourcetrace ingest ({jobs} jobs, new db)",
}

ATTRIBUTION_STAGE = "attribution"
INDEX_STAGE = "index"
ADDED_STAGES = (INDEX_STAGE, "speakers", "relays", "flags", "figures", "assertions")
STAGE_TARGET = 0.25
"""Ceiling on the added stages' time as a share of the attribution step (the sourcing issue)."""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes per run; the best counts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--limit", type=int, help="use only the first N texts (by name)")
    parser.add_argument("--texts", type=Path, default=DEV_TEXTS, help="folder of .txt files")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def load_documents(folder: Path, limit: int | None) -> list[RawDocument]:
    paths = sorted(folder.glob("*.txt"))[:limit]
    return [RawDocument(id=p.stem, text=p.read_text("utf-8"), origin=str(p)) for p in paths]


def run_spacy(docs: Sequence[RawDocument]) -> int:
    """Parse every document with the bare pipeline; nothing can fail, so return 0."""
    nlp = load_pipeline()
    for _ in nlp.pipe((d.text for d in docs), batch_size=PIPE_BATCH_SIZE):
        pass
    return 0


def run_analyze(docs: Sequence[RawDocument], jobs: int) -> int:
    """Analyse every document; return how many failed."""
    settings = AnalysisSettings(jobs=jobs)
    return sum(isinstance(r, Failure) for r in analyze_stream(iter(docs), settings))


def run_ingest(source: Path, jobs: int) -> int:
    """Ingest ``source`` into a new database (store writes and the corpus step included)."""
    with tempfile.TemporaryDirectory() as folder:
        summary = store.ingest(
            [str(source)], Path(folder) / "bench.db", AnalysisSettings(jobs=jobs)
        )
    return summary.failed


def write_jsonl(docs: Sequence[RawDocument], path: Path) -> Path:
    """Write the documents as JSONL input (untimed), so ingest reads exactly these."""
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps({"id": doc.id, "text": doc.text}) + "\n")
    return path


def measure(
    runners: dict[str, Callable[[], int]], repeat: int
) -> tuple[dict[str, float], dict[str, int]]:
    """Time each runner ``repeat`` times, interleaved; return best seconds and failures."""
    best = {name: float("inf") for name in runners}
    failures = dict.fromkeys(runners, 0)
    for _ in range(repeat):
        for name, run in runners.items():
            started = time.perf_counter()
            failures[name] = max(failures[name], run())
            best[name] = min(best[name], time.perf_counter() - started)
    return best, failures


@dataclasses.dataclass(frozen=True)
class StageInputs:
    """One parsed document with every stage's inputs, as ``Analyzer.run_stages`` computes them."""

    doc: Doc
    index: DocIndex  # the shared document index the stages read (its build is timed apart)
    outlet: str | None
    attributions: tuple[Attribution, ...]
    merged: tuple[Attribution, ...]  # with speaker, via and flags filled in, as figures sees
    found: tuple[Figure, ...]  # which assertions reads


def stage_calls() -> dict[str, Callable[[StageInputs, Analyzer], object]]:
    """Each timed stage as the call ``Analyzer.run_stages`` makes, in pipeline order."""
    return {
        ATTRIBUTION_STAGE: lambda s, a: a.extract(s.doc),
        INDEX_STAGE: lambda s, a: DocIndex(s.doc),
        "speakers": lambda s, a: speakers.resolve_speakers(s.doc, s.attributions, index=s.index),
        "relays": lambda s, a: relays.find_relays(
            s.doc, s.attributions, own_outlet=s.outlet, index=s.index
        ),
        "flags": lambda s, a: flags.find_flags(s.doc, s.attributions, index=s.index),
        "figures": lambda s, a: figures.extract_figures(s.doc, s.merged, index=s.index),
        "assertions": lambda s, a: assertions.find_assertions(
            s.doc, s.merged, s.found, index=s.index
        ),
    }


def prepare_stages(
    docs: Sequence[RawDocument], analyzer: Analyzer
) -> tuple[list[StageInputs], int]:
    """Check and parse the texts once, then run ``Analyzer.run_stages``; return inputs and failures.

    A document the check refuses, or on which a stage raises, is left out of the stage timing
    and counted as failed (the analyze run turns it into a ``Failure`` the same way).
    """
    settings = analyzer.settings
    checked: list[RawDocument] = []
    for raw in docs:
        try:
            ingest.check_text(
                raw.origin or raw.id,
                raw.text,
                max_chars=settings.max_chars,
                require_english=settings.check_language,
            )
        except InputError:
            continue
        checked.append(raw)
    parsed = analyzer.nlp.pipe((raw.text for raw in checked), batch_size=PIPE_BATCH_SIZE)
    prepared: list[StageInputs] = []
    for raw, doc in zip(checked, parsed, strict=True):
        try:
            prepared.append(_stage_inputs(raw, doc, analyzer))
        except Exception:  # one failing document must not sink the benchmark
            continue
    return prepared, len(docs) - len(prepared)


def _stage_inputs(raw: RawDocument, doc: Doc, analyzer: Analyzer) -> StageInputs:
    """Run one document's stages once, as the pipeline does, keeping their inputs."""
    stages = analyzer.run_stages(raw, doc)
    return StageInputs(
        doc, DocIndex(doc), stages.outlet, stages.extracted, stages.attributions, stages.figures
    )


def measure_stages(
    prepared: Sequence[StageInputs], analyzer: Analyzer, repeat: int
) -> dict[str, float]:
    """Time each stage over all prepared documents ``repeat`` times, interleaved; best seconds."""
    calls = stage_calls()
    best = {name: float("inf") for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            started = time.perf_counter()
            for inputs in prepared:
                call(inputs, analyzer)
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def stage_results(best: dict[str, float], documents: int, failures: int) -> dict[str, Any]:
    """Each stage's seconds and share of the attribution step, and the added stages' total."""
    base = best[ATTRIBUTION_STAGE]
    added = sum(best[name] for name in ADDED_STAGES)
    return {
        "documents": documents,
        "failures": failures,
        "stages": {
            name: {"seconds": round(seconds, 4), "share_of_attribution": round(seconds / base, 4)}
            for name, seconds in best.items()
        },
        "added_seconds": round(added, 4),
        "added_over_attribution": round(added / base, 4),
        "target": STAGE_TARGET,
        "within_target": added / base < STAGE_TARGET,
    }


class WorkerPeak(threading.Thread):
    """Samples the peak RSS (``VmHWM``) of this process's children while they run.

    ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is no use here: Linux carries the parent's
    resident size at fork over the child's ``exec``, so every spawned worker reports at least
    the parent's peak. ``VmHWM`` belongs to the worker's own address space, once it has
    run ``exec``: between fork and exec a child still shows the parent's copy (same command
    line), so those are skipped. The peak only grows, so sampling misses at most the last
    interval of a worker's life.
    """

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        own = _cmdline("self")
        while not self.done.wait(self.interval):
            for pid in _child_pids():
                if _cmdline(str(pid)) not in (own, b""):
                    self.peak_kb = max(self.peak_kb, _vm_hwm_kb(pid))

    def stop(self) -> None:
        self.done.set()
        self.join()


def _child_pids() -> set[int]:
    pids: set[int] = set()
    for children in Path("/proc/self/task").glob("*/children"):
        with contextlib.suppress(OSError, ValueError):
            pids.update(int(pid) for pid in children.read_text().split())
    return pids


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _vm_hwm_kb(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def peak_memory_mb(worker_peak_kb: int) -> dict[str, float | None]:
    """Peak RSS of this process and of its largest worker (None if unmeasured), in MB."""
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6
    worker = round(worker_peak_kb * 1024 / 1e6, 1) if worker_peak_kb else None
    return {"this_process": round(own, 1), "largest_worker": worker}


def results(
    docs: Sequence[RawDocument],
    timing: tuple[dict[str, float], dict[str, int]],
    jobs: int,
    worker_peak_kb: int,
) -> dict[str, Any]:
    best, failures = timing
    words = sum(len(d.text.split()) for d in docs)
    runs = {
        name: {
            "label": LABELS[name].format(jobs=jobs),
            "seconds": round(seconds, 3),
            "articles_per_second": round(len(docs) / seconds, 2),
            "words_per_second": round(words / seconds),
            "failures": failures[name],
        }
        for name, seconds in best.items()
    }
    return {
        "articles": len(docs),
        "words": words,
        "jobs": jobs,
        "cores": os.cpu_count(),
        "runs": runs,
        "analyze_over_spacy_time": round(best["analyze"] / best["spacy"], 3),
        "all_cores_speedup": round(best["analyze"] / best["analyze-all"], 3),
        "ingest_over_analyze_time": round(best["ingest-all"] / best["analyze-all"], 3),
        "peak_rss_mb": peak_memory_mb(worker_peak_kb),
    }


def format_table(data: dict[str, Any], repeat: int, source: Path) -> str:
    lines = [
        f"{data['articles']} articles, {data['words']:,} words from {source}; "
        f"best of {repeat}; {data['cores']} cores",
        f"{'run':<36}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'failed':>8}",
    ]
    for run in data["runs"].values():
        lines.append(
            f"{run['label']:<36}{run['seconds']:>9.2f}{run['articles_per_second']:>12.2f}"
            f"{run['words_per_second']:>10,}{run['failures']:>8}"
        )
    memory = data["peak_rss_mb"]
    worker = memory["largest_worker"]
    lines += [
        f"analyze / bare spaCy time ratio: {data['analyze_over_spacy_time']:.2f}",
        f"speed-up with {data['jobs']} jobs over 1 process: {data['all_cores_speedup']:.2f}",
        f"ingest / analyze time ({data['jobs']} jobs; SQLite writes and the corpus step): "
        f"{data['ingest_over_analyze_time']:.2f}",
        f"peak RSS: this process {memory['this_process']:.0f} MB, largest worker "
        + (f"{worker:.0f} MB" if worker else "not measured (needs Linux /proc)"),
    ]
    if "stage_costs" in data:
        lines += ["", *format_stages(data["stage_costs"], repeat)]
    return "\n".join(lines)


def format_stages(costs: dict[str, Any], repeat: int) -> list[str]:
    """The per-stage table and the added-stages line."""
    lines = [
        f"stages after the parse, over {costs['documents']} parsed documents "
        f"({costs['failures']} left out); best of {repeat}",
        f"{'stage':<16}{'seconds':>9}{'of attribution':>16}",
    ]
    for name, stage in costs["stages"].items():
        lines.append(f"{name:<16}{stage['seconds']:>9.3f}{stage['share_of_attribution']:>16.1%}")
    lines.append(
        f"added stages / attribution step: {costs['added_over_attribution']:.1%} "
        f"(target < {costs['target']:.0%})"
    )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.texts.is_dir():
        print(f"bench skipped: no texts at {args.texts} (the shared PolNeAR data)")
        return 0
    docs = load_documents(args.texts, args.limit)
    if not docs:
        print(f"bench skipped: no .txt files in {args.texts}")
        return 0
    jobs = os.cpu_count() or 1
    load_pipeline()  # load once, untimed: every run below reuses it in this process
    run_spacy(docs[:PIPE_BATCH_SIZE])  # warm up caches, untimed
    scratch = tempfile.TemporaryDirectory()
    source = write_jsonl(docs, Path(scratch.name) / "bench.jsonl")
    runners: dict[str, Callable[[], int]] = {
        "spacy": lambda: run_spacy(docs),
        "analyze": lambda: run_analyze(docs, 1),
        "analyze-all": lambda: run_analyze(docs, jobs),
        "ingest-all": lambda: run_ingest(source, jobs),
    }
    sampler = WorkerPeak()
    sampler.start()
    with scratch:
        timing = measure(runners, args.repeat)
    sampler.stop()
    data = results(docs, timing, jobs, sampler.peak_kb)
    analyzer = Analyzer(AnalysisSettings())
    prepared, stage_failures = prepare_stages(docs, analyzer)
    if prepared:
        best = measure_stages(prepared, analyzer, args.repeat)
        data["stage_costs"] = stage_results(best, len(prepared), stage_failures)
    print(json.dumps(data, indent=2) if args.json else format_table(data, args.repeat, args.texts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
