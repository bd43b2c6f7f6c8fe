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
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from . import __version__
from .errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    SettingsError,
    SourcetraceError,
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
    analyze.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: on when stderr is a terminal)",
    )

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


def _add_eval_arguments(parser: argparse.ArgumentParser, example: str) -> None:
    """The arguments every ``eval`` data set takes: its folder, ``--json``, analysis options."""
    parser.add_argument("directory", type=Path, metavar="DIR", help=example)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    _add_analysis_options(parser)


def _add_analysis_options(parser: argparse.ArgumentParser) -> None:
    """Options every command that analyses text shares."""
    parser.add_argument("--spacy-model", metavar="NAME", help="an installed spaCy pipeline")
    parser.add_argument(
        "--jobs", "-j", type=int, default=1, help="worker processes (0: all cores; default 1)"
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
        settings = settings_from_args(args)
        if args.command == "analyze":
            return _run_analyze(args.paths, settings)
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
    from .evaluation import EvaluationReport, SourcingReport, evaluate_polnear, evaluate_sourcing

    report: EvaluationReport | SourcingReport
    if args.dataset == "sourcing":
        report = evaluate_sourcing(args.directory, settings.analysis)
    else:
        if args.limit is not None and args.limit < 1:
            raise SettingsError(f"--limit must be a positive number, got {args.limit}")
        report = evaluate_polnear(args.directory, settings.analysis, limit=args.limit)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(report.format_table() + "\n")
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


def _progress(message: str) -> None:
    """Print a progress line on standard error."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _error(message: str) -> None:
    """Print one line on standard error."""
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
