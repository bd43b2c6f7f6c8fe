"""Writers: stream analysed documents to JSON, JSONL, a terminal table or an HTML report.

Every writer takes documents one at a time and flushes as it goes, so that what was written
before a failure (or Ctrl-C) stays written. ``open_writer`` picks one by format.
"""

from __future__ import annotations

import json
from typing import IO, Protocol

from .records import AnalysedDocument
from .settings import OutputFormat


class Writer(Protocol):
    """Receives analysed documents in order; ``close`` finishes the output."""

    def write(self, doc: AnalysedDocument) -> None:
        """Write one document."""

    def close(self) -> None:
        """Finish the output (closing brackets, summaries); does not close the stream."""


class JsonlWriter:
    """One JSON object per line, flushed per document."""

    def __init__(self, stream: IO[str], include_text: bool = False) -> None:
        self.stream = stream
        self.include_text = include_text

    def write(self, doc: AnalysedDocument) -> None:
        """Write one document as a line."""
        self.stream.write(json.dumps(doc.to_dict(self.include_text), ensure_ascii=False) + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Nothing to finish: every line is complete."""


class JsonWriter:
    """A JSON array of documents, streamed: the array is valid once ``close`` ran."""

    def __init__(self, stream: IO[str], include_text: bool = False) -> None:
        self.stream = stream
        self.include_text = include_text
        self.count = 0

    def write(self, doc: AnalysedDocument) -> None:
        """Write one document as the next array element."""
        body = json.dumps(doc.to_dict(self.include_text), ensure_ascii=False, indent=2)
        self.stream.write(("[\n" if self.count == 0 else ",\n") + body)
        self.stream.flush()
        self.count += 1

    def close(self) -> None:
        """Close the array."""
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        self.stream.flush()


def open_writer(fmt: OutputFormat, stream: IO[str], include_text: bool = False) -> Writer:
    """Return the writer for ``fmt`` on ``stream``."""
    if fmt == "jsonl":
        return JsonlWriter(stream, include_text)
    if fmt == "json":
        return JsonWriter(stream, include_text)
    if fmt == "table":
        from .table import TableWriter

        return TableWriter(stream)
    from .report import HtmlReportWriter

    return HtmlReportWriter(stream)
