"""The ``sourcetrace`` command: a thin adapter over the library.

It parses arguments, builds one ``Settings``, calls one public function per command, writes
its results, and maps our exceptions to exit codes (``errors.EXIT_*``, listed in
``docs/cli.md``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from . import __version__
from .errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    NO_BACKGROUND_TEXTS,
    NO_BASIL_FILE,
    STORE_MISSING,
    DataError,
    SettingsError,
    SourcetraceError,
    StoreError,
)
from .output import Writer, open_writer
from .records import AnalysedDocument, Failure
from .settings import (
    DEFAULT_MAX_CHARS,
    MODELS,
    OUTPUT_FORMATS,
    AnalysisSettings,
    OutputFormat,
    OutputSettings,
    Settings,
    TrainingSettings,
    resolve_jobs,
)

PROG = "sourcetrace"
DEFAULT_DB = "sourcetrace.db"
BASIL_FILE = Path("../shared/basil/articles.jsonl")
BACKGROUND_DIRS = (Path("../shared/polnear/dev"), Path("../shared/polnear/train"))
"""Defaults of ``eval stories``: the shared data folder beside the repository."""
CORPUS_COMMANDS = {
    "stories": "list the stories: documents about the same event",
    "claims": "list the claims: origin, sources, independent sources, echoes, flags",
    "figures": "list the figure series: each quantity's values over time, and conflicts",
    "reuse": "list documents that copy text from an earlier one, with the share copied",
    "outlets": "show the outlet graph: which outlet relays or copies which",
}
"""The commands that read the corpus step's results, with their help lines."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every command."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="See how the news is sourced: who said what, through whom.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    analyze = commands.add_parser(
        "analyze",
        help="map who said what in articles (.txt, .html, .jsonl, directories, - for stdin)",
        description="Analyse articles and write one record per document.",
    )
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="file, directory, or -")
    analyze.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default=None,
        help="output format (default: table on a terminal, jsonl otherwise)",
    )
    analyze.add_argument("--output", "-o", type=Path, help="write to FILE instead of stdout")
    analyze.add_argument("--report", type=Path, help="also write a self-contained HTML report")
    analyze.add_argument(
        "--include-text", action="store_true", help="add the analysed text to JSON output"
    )
    _add_analysis_options(analyze)
    _add_progress_option(analyze)

    ingest = commands.add_parser(
        "ingest",
        help="analyse articles into a corpus database (SQLite)",
        description="Analyse articles and store them in an SQLite database; documents "
        "already stored with the same text are skipped.",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="file, directory, or -")
    ingest.add_argument(
        "--db", type=Path, default=Path(DEFAULT_DB), help=f"database file (default {DEFAULT_DB})"
    )
    # A corpus is many documents: ingest uses every core unless told otherwise.
    _add_analysis_options(ingest, jobs=0)
    _add_progress_option(ingest)

    serve = commands.add_parser(
        "serve",
        help="start the web app: analyse articles and see their sourcing in a browser",
        description="Start the web app (needs the web extra: pip install sourcetrace[web]). "
        "Analysed articles are stored in the database; article pages read from it.",
    )
    serve.add_argument(
        "--db", type=Path, default=Path(DEFAULT_DB), help=f"database file (default {DEFAULT_DB})"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")

    _add_corpus_commands(commands)

    schema = commands.add_parser("schema", help="print the JSON Schema of the output")
    schema.description = "Print the JSON Schema that every analyze record conforms to."

    evaluate = _dataset_group(commands, "eval", "score the analysis on a gold data set")
    polnear = evaluate.add_parser(
        "polnear",
        help="PolNeAR-format split (text/ and attributions/ folders)",
        description="Precision, recall and F1 for source, cue and content (exact, any-overlap "
        "and token-proportional), and end-to-end who-said-what.",
    )
    _add_eval_arguments(polnear, "a split, e.g. dev/")
    polnear.add_argument("--limit", type=int, help="score only the first N documents")
    sourcing = evaluate.add_parser(
        "sourcing",
        help="labelled sourcing articles (a folder of .json gold files)",
        description="Per-field precision and recall of the sourcing stages: attributions, "
        "speaker, relays, flags, figures and assertions.",
    )
    _add_eval_arguments(sourcing, "e.g. tests/data/sourcing")
    corpus = evaluate.add_parser(
        "corpus",
        help="labelled multi-outlet corpus (documents.jsonl and gold.json)",
        description="Analyse and link the corpus, then score stories, claim grouping, echoes, "
        "reuse, independent sources, origins, figure series and conflicts.",
    )
    _add_eval_arguments(corpus, "e.g. tests/data/corpus")
    _add_eval_stories(evaluate)

    train = _dataset_group(commands, "train", "train the learned attribution model")
    train_polnear = train.add_parser(
        "polnear",
        help="a PolNeAR folder holding train/ (and dev/ for scores)",
        description="Train the cue and role taggers on DIR/train and write the model folder; "
        "with dev/ present, score the new model on it.",
    )
    train_polnear.add_argument("directory", type=Path, metavar="DIR", help="e.g. ../shared/polnear")
    train_polnear.add_argument(
        "--output",
        "-o",
        type=Path,
        help="model folder to write (default: the model the package loads)",
    )
    defaults = TrainingSettings()
    train_polnear.add_argument(
        "--iterations", type=int, default=defaults.iterations, help="L-BFGS iterations"
    )
    train_polnear.add_argument("--c1", type=float, default=defaults.c1, help="L1 weight")
    train_polnear.add_argument("--c2", type=float, default=defaults.c2, help="L2 weight")
    train_polnear.add_argument("--seed", type=int, default=defaults.seed, help="shuffle seed")
    train_polnear.add_argument("--limit", type=int, help="train on the first N documents only")
    train_polnear.add_argument("--spacy-model", metavar="NAME", help="an installed spaCy pipeline")
    return parser


def _dataset_group(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help_text: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add ``NAME DATASET ...`` and return the group to which each data set is added."""
    parent = commands.add_parser(name, help=help_text, description=help_text)
    return parent.add_subparsers(dest="dataset", metavar="DATASET", required=True)


def _add_eval_stories(evaluate: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``eval stories``: story grouping on BASIL events among background articles."""
    stories = evaluate.add_parser(
        "stories",
        help="story grouping on BASIL events among PolNeAR background articles",
        description="Group BASIL articles (three outlets per event) mixed with background "
        "articles into stories; pairwise precision, recall and F1, with and without dates.",
    )
    stories.add_argument(
        "--basil", type=Path, default=BASIL_FILE, metavar="FILE", help=f"default {BASIL_FILE}"
    )
    stories.add_argument(
        "--background",
        type=Path,
        nargs="+",
        default=list(BACKGROUND_DIRS),
        metavar="DIR",
        help="folders with a text/ folder of articles (default: the PolNeAR dev and train)",
    )
    stories.add_argument("--json", action="store_true", help="print the scores as JSON")


def _add_eval_arguments(parser: argparse.ArgumentParser, example: str) -> None:
    """The arguments every ``eval`` data set takes: its folder, ``--json``, analysis options."""
    parser.add_argument("directory", type=Path, metavar="DIR", help=example)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    _add_analysis_options(parser)


def _add_analysis_options(parser: argparse.ArgumentParser, jobs: int = 1) -> None:
    """Options every command that analyses text shares (``jobs``: the default of ``--jobs``)."""
    parser.add_argument("--spacy-model", metavar="NAME", help="an installed spaCy pipeline")
    default = "all cores" if jobs == 0 else str(jobs)
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=jobs,
        help=f"worker processes (0: all cores; default {default})",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=DEFAULT_MAX_CHARS,
        help=f"refuse documents longer than this (default {DEFAULT_MAX_CHARS:,})",
    )
    parser.add_argument(
        "--no-language-check",
        action="store_true",
        help="analyse text even when it does not look like English",
    )
    parser.add_argument(
        "--model",
        choices=MODELS,
        default="learned",
        help="attribution extractor: the trained model (default) or the rules alone",
    )
    parser.add_argument(
        "--model-dir", type=Path, metavar="DIR", help="a model folder from `sourcetrace train`"
    )


def _add_progress_option(parser: argparse.ArgumentParser) -> None:
    """``--progress``/``--no-progress`` of the commands that analyse many documents."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: on when stderr is a terminal)",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Build the one validated ``Settings`` of this run from parsed arguments."""
    if args.command == "train":
        return Settings(analysis=AnalysisSettings(spacy_model=args.spacy_model, model="rules"))
    analysis = AnalysisSettings(
        spacy_model=args.spacy_model,
        max_chars=args.max_chars,
        check_language=not args.no_language_check,
        jobs=resolve_jobs(args.jobs),
        model=args.model,
        model_dir=args.model_dir,
    )
    if getattr(args, "command", None) != "analyze":
        return Settings(analysis=analysis)
    terminal = sys.stdout.isatty() and args.output is None
    fmt: OutputFormat = args.format or ("table" if terminal else "jsonl")
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    return Settings(
        analysis=analysis,
        output=OutputSettings(
            format=fmt,
            output=args.output,
            report=args.report,
            include_text=args.include_text,
            progress=progress,
        ),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "schema":
            from .schema import schema_text

            sys.stdout.write(schema_text())
            return EXIT_OK
        if args.command == "serve":
            return _run_serve(args)
        if args.command in CORPUS_COMMANDS:
            return _run_corpus(args)
        if args.command == "eval" and args.dataset == "stories":
            return _run_eval_stories(args)
        settings = settings_from_args(args)
        if args.command == "analyze":
            return _run_analyze(args.paths, settings)
        if args.command == "ingest":
            return _run_ingest(args, settings)
        if args.command == "train":
            return _run_train(args, settings)
        return _run_eval(args, settings)
    except SourcetraceError as exc:
        _error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        with contextlib.suppress(OSError):
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115
        return EXIT_OK


def _run_analyze(paths: Sequence[str], settings: Settings) -> int:
    """Analyse ``paths`` and write every document as soon as it is done."""
    from .pipeline import analyze_paths

    out = settings.output
    failed = 0
    with contextlib.ExitStack() as stack:
        stream: IO[str] = (
            stack.enter_context(_open_output(out.output)) if out.output else sys.stdout
        )
        writers: list[Writer] = [open_writer(out.format, stream, out.include_text)]
        if out.report is not None:
            report_stream = stack.enter_context(_open_output(out.report))
            writers.append(open_writer("html", report_stream))
        results = analyze_paths(paths, settings.analysis)
        try:
            for result in _with_progress(results, out.progress):
                if isinstance(result, Failure):
                    failed += 1
                    _error(str(result))
                    continue
                for writer in writers:
                    writer.write(result)
        except KeyboardInterrupt:
            # Close the JSON array and write the report of what was done, then stop.
            _close_all(writers)
            raise
        _close_all(writers)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Analyse ``args.paths`` into the database ``args.db`` and print a summary line."""
    from .store import ingest

    enabled = sys.stderr.isatty() if args.progress is None else args.progress
    summary = ingest(
        args.paths,
        args.db,
        settings.analysis,
        log=_error,
        progress=lambda results: _with_progress(results, enabled),
    )
    _progress(
        f"{args.db}: {summary.stored} stored, {summary.replaced} replaced, "
        f"{summary.unchanged} unchanged, {summary.failed} failed"
    )
    return EXIT_SOME_FAILED if summary.failed else EXIT_OK


def _run_serve(args: argparse.Namespace) -> int:
    """Serve the web app until interrupted."""
    try:
        from .web import serve
    except ImportError as exc:
        raise SourcetraceError(str(exc)) from exc
    from .settings import WebSettings

    serve(WebSettings(db=args.db, host=args.host, port=args.port), log=_progress)
    return EXIT_OK


def _close_all(writers: list[Writer]) -> None:
    """Finish every writer's output."""
    for writer in writers:
        writer.close()


def _open_output(path: Path) -> IO[str]:
    """Open an output file, turning OS errors into a one-line settings error."""
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot write {path}: {exc.strerror}") from exc


def _with_progress(
    results: Iterator[AnalysedDocument | Failure], enabled: bool
) -> Iterator[AnalysedDocument | Failure]:
    """Wrap ``results`` in a progress bar on stderr when enabled."""
    if not enabled:
        yield from results
        return
    from tqdm import tqdm

    with tqdm(results, unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False) as bar:
        yield from bar


def _run_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score the analysis on a gold data set and print the report."""
    from .evaluation import (
        CorpusReport,
        EvaluationReport,
        SourcingReport,
        evaluate_corpus,
        evaluate_polnear,
        evaluate_sourcing,
    )

    report: EvaluationReport | SourcingReport | CorpusReport
    if args.dataset == "sourcing":
        report = evaluate_sourcing(args.directory, settings.analysis)
    elif args.dataset == "corpus":
        report = evaluate_corpus(args.directory, settings.analysis)
    else:
        if args.limit is not None and args.limit < 1:
            raise SettingsError(f"--limit must be a positive number, got {args.limit}")
        report = evaluate_polnear(args.directory, settings.analysis, limit=args.limit)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(report.format_table() + "\n")
    return EXIT_OK


def _run_eval_stories(args: argparse.Namespace) -> int:
    """Score story grouping on BASIL plus background articles and print both runs."""
    from .evaluation.stories import evaluate_stories

    if not args.basil.is_file():
        raise DataError(f"{args.basil}: {NO_BASIL_FILE}")
    for folder in args.background:
        if not (folder / "text").is_dir():
            raise DataError(f"{folder}: {NO_BACKGROUND_TEXTS}")
    scores = evaluate_stories(args.basil, args.background)
    if args.json:
        sys.stdout.write(json.dumps({k: v.to_dict() for k, v in scores.items()}, indent=2) + "\n")
        return EXIT_OK
    lines = [f"{'run':10}{'prec':>8}{'recall':>8}{'F1':>8}{'docs':>7}{'stories':>9}"]
    for run, score in scores.items():
        t = score.tally
        lines.append(
            f"{run:10}{t.precision:8.3f}{t.recall:8.3f}{t.f1:8.3f}{score.documents:7}"
            f"{score.stories:9}"
        )
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _run_train(args: argparse.Namespace, settings: Settings) -> int:
    """Train the attribution model, then score it on dev when the folder has one."""
    from .attribution.learned import packaged_model_dir
    from .training import train_polnear

    training = TrainingSettings(
        iterations=args.iterations, c1=args.c1, c2=args.c2, seed=args.seed, limit=args.limit
    )
    output = args.output or packaged_model_dir()
    train_polnear(args.directory, output, settings.analysis, training, log=_progress)
    dev = args.directory / "dev"
    if dev.is_dir() and args.limit is None:
        from .evaluation import evaluate_polnear

        scoring = replace(settings.analysis, model="learned", model_dir=output)
        _progress(f"scoring the new model on {dev}")
        sys.stdout.write(evaluate_polnear(dev, scoring).format_table() + "\n")
    return EXIT_OK


def _add_corpus_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """The commands that read the corpus step's results (stories, claims, ...) from a database."""
    for name, help_text in CORPUS_COMMANDS.items():
        query = commands.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper()
            + help_text[1:]
            + ", from a database filled by `ingest`.",
        )
        query.add_argument(
            "--db",
            type=Path,
            default=Path(DEFAULT_DB),
            help=f"database file (default {DEFAULT_DB})",
        )
        query.add_argument("--story", metavar="ID", help="only this story (an id from `stories`)")
        formats = ("table", "json", "graphml") if name == "outlets" else ("table", "json")
        query.add_argument(
            "--format", choices=formats, default="table", help="output format (default: table)"
        )


def _run_corpus(args: argparse.Namespace) -> int:
    """Print one kind of corpus record read from the database (docs/corpus.md)."""
    from .corpus import present, tables
    from .corpus.graph import to_graphml, to_json
    from .store import Store

    readers: dict[str, tuple[Callable[[Store, str | None], Any], Callable[[Any], str]]] = {
        "stories": (tables.read_stories, present.stories_table),
        "claims": (tables.read_claims, present.claims_table),
        "figures": (tables.read_series, present.series_table),
        "reuse": (tables.read_reuse, present.reuse_table),
        "outlets": (tables.read_outlet_edges, present.outlets_table),
    }
    read, table = readers[args.command]
    if not args.db.is_file():
        # Opening would create an empty database; a query needs one that ingest filled.
        raise StoreError(str(args.db), STORE_MISSING)
    with Store(args.db) as store:
        records: Any = read(store, args.story)
    if args.format == "graphml":
        sys.stdout.write(to_graphml(records))
    elif args.format == "json":
        data = to_json(records) if args.command == "outlets" else tables.as_dicts(records)
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif records:
        sys.stdout.write(table(records) + "\n")
    return EXIT_OK


def _progress(message: str) -> None:
    """Print a progress line on standard error."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _error(message: str) -> None:
    """Print one line on standard error."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
