"""The JSON Schema itself, and records serialised through it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from sourcetrace.cli import main
from sourcetrace.records import AnalysedDocument, Attribution, Span
from sourcetrace.schema import document_schema, schema_text

TEXT = 'The mayor said the bridge would reopen. "It is safe," she added.'


def _doc(**overrides: object) -> AnalysedDocument:
    content = Span.of(TEXT, TEXT.index("the bridge"), TEXT.index("."))
    quote = Span.of(TEXT, TEXT.index('"'), TEXT.index('," ') + 2)
    fields: dict[str, object] = {
        "id": "bridge",
        "text": TEXT,
        "attributions": (
            Attribution(
                "a1",
                "indirect",
                Span.of(TEXT, 0, 9),
                Span.of(TEXT, 10, 14),
                content,
            ),
            Attribution("a2", "direct", None, Span.of(TEXT, TEXT.index("added"), 62), quote),
        ),
    }
    fields.update(overrides)
    return AnalysedDocument(**fields)  # type: ignore[arg-type]


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(document_schema())


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(schema_text())


@pytest.mark.parametrize("include_text", [False, True])
def test_records_serialise_to_valid_documents(include_text: bool) -> None:
    jsonschema.validate(_doc().to_dict(include_text), document_schema())


def test_fragment_span_serialises_with_fragments() -> None:
    span = Span.from_fragments(TEXT, [(0, 9), (15, 18)])
    assert span.text == "The mayor the"
    assert span.to_dict()["fragments"] == [[0, 9], [15, 18]]
    doc = _doc(attributions=(Attribution("a1", "direct", None, Span.of(TEXT, 10, 14), span),))
    jsonschema.validate(doc.to_dict(), document_schema())


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda d: d.pop("text_sha256"), "required field missing"),
        (lambda d: d["attributions"][0].update(type="rumour"), "unknown attribution type"),
        (lambda d: d.update(speaker="x"), "field not in the contract"),
        (lambda d: d["attributions"][0]["cue"].update(start=-1), "negative offset"),
    ],
)
def test_schema_rejects_broken_documents(mutate: object, why: str) -> None:
    data = _doc().to_dict()
    mutate(data)  # type: ignore[operator]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, document_schema())
