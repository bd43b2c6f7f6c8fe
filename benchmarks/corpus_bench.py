"""Time the cross-article step on generated corpora of growing size.

For each size (default 1000 and 10000 documents) it generates a corpus with
``scripts/gencorpus.py`` (untimed), then times ``find_reuse``, ``group_stories`` and, when
``sourcetrace.corpus.build`` exists, ``link`` (the whole step, claims included; up to
``--link-max`` documents, default 10000). It prints
seconds per step, documents per second, and the growth factor against the previous size
(near the size factor means near-linear growth), plus how well stories match the generated
events (pairwise F1), as a check that the timed run did real work.

``--basil-shares`` instead prints the largest copied shares between BASIL's same-event
articles (../shared/basil), the measurement behind ``reuse.MIN_SHARE``.

Run: ``.venv/bin/python benchmarks/corpus_bench.py [--sizes 1000 10000 100000] [--repeat N]
[--link-max N] [--json]``.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from gencorpus import generate  # noqa: E402

from sourcetrace.corpus.records import Story  # noqa: E402
from sourcetrace.corpus.reuse import document_shingles, find_reuse  # noqa: E402
from sourcetrace.corpus.stories import group_stories  # noqa: E402
from sourcetrace.records import AnalysedDocument  # noqa: E402

BASIL = REPO.parent / "shared" / "basil" / "articles.jsonl"


def timed(step: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best seconds of ``repeat`` calls (the machine is shared and noisy), and the result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
    return best, result


def event_f1(docs: Sequence[AnalysedDocument], stories: Sequence[Story]) -> float:
    """Pairwise same-story F1 against the generated events."""
    event = {d.id: d.metadata["event"] for d in docs}
    predicted = sum(len(s.documents) * (len(s.documents) - 1) // 2 for s in stories)
    tp = sum(
        event[a] == event[b] for s in stories for a, b in itertools.combinations(s.documents, 2)
    )
    sizes: dict[Any, int] = {}
    for e in event.values():
        sizes[e] = sizes.get(e, 0) + 1
    gold = sum(n * (n - 1) // 2 for n in sizes.values())
    p, r = (tp / predicted if predicted else 0.0), (tp / gold if gold else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def run_size(n: int, link_max: int, repeat: int, per_day: float | None) -> dict[str, Any]:
    """Generate ``n`` documents and time each step over them (``link`` up to ``link_max``)."""
    docs = generate(n, seed=n, per_day=per_day)
    row: dict[str, Any] = {"documents": n}
    row["reuse_s"], reuse = timed(lambda: find_reuse(docs), repeat)
    row["stories_s"], stories = timed(lambda: group_stories(docs, reuse), repeat)
    row["reuse_pairs"], row["stories"] = len(reuse), len(stories)
    row["story_f1"] = round(event_f1(docs, stories), 3)
    try:
        build = importlib.import_module("sourcetrace.corpus.build")
    except ImportError:
        build = None
    if build is not None and hasattr(build, "link") and n <= link_max:
        row["link_s"], _ = timed(lambda: build.link(docs), repeat)
    row["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return row


def basil_shares() -> list[tuple[float, str, str]]:
    """Largest copied share (either direction) of each BASIL same-event pair, largest first."""
    rows = [json.loads(line) for line in BASIL.read_text(encoding="utf-8").splitlines() if line]
    sets = [document_shingles(row["text"]) for row in rows]
    out = []
    for i, j in itertools.combinations(range(len(rows)), 2):
        if rows[i]["story"] == rows[j]["story"] and sets[i] and sets[j]:
            common = len(sets[i] & sets[j])
            share = max(common / len(sets[i]), common / len(sets[j]))
            out.append((share, rows[i]["outlet"], rows[j]["outlet"]))
    return sorted(out, reverse=True)


def main() -> None:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description="Time the cross-article step.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per step")
    parser.add_argument(
        "--link-max", type=int, default=10000, help="time corpus.build.link up to this size"
    )
    parser.add_argument("--basil-shares", action="store_true", help="BASIL copied shares")
    parser.add_argument(
        "--per-day",
        type=float,
        help="a steady flow of N documents a day (a larger corpus spans more days); "
        "default: every size over one year",
    )
    args = parser.parse_args()
    if args.basil_shares:
        if not BASIL.is_file():
            sys.exit(f"BASIL not found at {BASIL}")
        for share, a, b in basil_shares()[:10]:
            print(f"{share:.3f}  {a} / {b}")
        return
    rows = []
    for n in args.sizes:
        rows.append(run_size(n, args.link_max, args.repeat, args.per_day))
        if not args.json:
            row = rows[-1]
            total = row["reuse_s"] + row["stories_s"]
            growth = ""
            if len(rows) > 1:
                prev = rows[-2]
                factor = total / (prev["reuse_s"] + prev["stories_s"])
                growth = f"  x{factor:.1f} time for x{n / prev['documents']:.0f} documents"
            print(
                f"{n:>7} docs  reuse {row['reuse_s']:7.2f}s  stories {row['stories_s']:7.2f}s"
                f"  {n / total:6.0f} docs/s  pairs {row['reuse_pairs']}"
                f"  stories {row['stories']}  story F1 {row['story_f1']}"
                + (f"  link {row['link_s']:.2f}s" if "link_s" in row else "")
                + f"  peak RSS {row['peak_rss_mb']} MB"
                + growth,
                flush=True,
            )
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
