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
  the pipeline, as a real run pays it.

It prints articles/s and words/s for each, the ratio of analyze's time to bare spaCy's (the
cost of our own stages), and peak resident memory of this process and of its largest worker
(``ru_maxrss`` for this process; for workers, ``VmHWM`` sampled from ``/proc``, see
``WorkerPeak``). ``--json`` prints the same as JSON.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench.py [--repeat N] [--json]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sourcetrace.nlp import load_pipeline
from sourcetrace.pipeline import PIPE_BATCH_SIZE, analyze_stream
from sourcetrace.records import Failure, RawDocument
from sourcetrace.settings import AnalysisSettings

DEV_TEXTS = Path(__file__).resolve().parent.parent.parent / "shared" / "polnear" / "dev" / "text"

RUNS = ("spacy", "analyze", "analyze-all")
LABELS = {
    "spacy": "bare spaCy nlp.pipe (1 process)",
    "analyze": "sourcetrace analyze (1 process)",
    "analyze-all": "sourcetrace analyze ({jobs} jobs)",
}


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
        f"peak RSS: this process {memory['this_process']:.0f} MB, largest worker "
        + (f"{worker:.0f} MB" if worker else "not measured (needs Linux /proc)"),
    ]
    return "\n".join(lines)


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
    runners: dict[str, Callable[[], int]] = {
        "spacy": lambda: run_spacy(docs),
        "analyze": lambda: run_analyze(docs, 1),
        "analyze-all": lambda: run_analyze(docs, jobs),
    }
    sampler = WorkerPeak()
    sampler.start()
    timing = measure(runners, args.repeat)
    sampler.stop()
    data = results(docs, timing, jobs, sampler.peak_kb)
    print(json.dumps(data, indent=2) if args.json else format_table(data, args.repeat, args.texts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
