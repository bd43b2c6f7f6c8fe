"""Rule-based attribution extraction over the spaCy dependency parse.

``extract_attributions(doc)`` finds who said what in a parsed article: direct quotations
(also over several sentences and paragraphs), reported speech and belief ("X said that",
"X told reporters", "X believes"), "according to X", mixed quotations, "X said:" and
headline "Name: claim" colons, and "“...” ― Name" dashes.

The rules run in stages, each in its own module:

- ``quotes``: pair quotation marks into quotations, per paragraph (linear, never raises);
- ``verbs``, ``nouns``, ``according``, ``colon``: propose candidates from the parse and
  from punctuation;
- ``linking``: snap contents to quotations, hand unclaimed quotations to adjacent cues,
  continue quotations across sentences and paragraphs;
- ``merge``: drop duplicates, type (direct, indirect, mixed, according_to, other), number.

What counts as a cue lives in ``data/cues.json`` and the punctuation tables in
``data/attribution_marks.json``. Span conventions follow the PolNeAR annotation: the source
is the whole subject noun phrase, the content keeps its quotation marks and a leading
"that", the cue is the verb with its auxiliaries and particles. The numeric limits in the
modules were set by reading errors on the PolNeAR dev split; after changing one, rerun
``sourcetrace eval polnear ../shared/polnear/dev`` and the tests.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..errors import ModelError
from ..records import Attribution
from .according import according_candidates
from .candidate import Candidate, Context
from .colon import colon_candidates, dash_candidates, intro_candidates
from .linking import attach_quotes
from .merge import finalize
from .nouns import noun_candidates
from .verbs import verb_candidates

__all__ = ["extract_attributions"]


def extract_attributions(doc: Doc) -> tuple[Attribution, ...]:
    """Return the attributions of a parsed document, in order of their content.

    Args:
        doc: a document processed by a spaCy pipeline with a tagger, lemmatizer and
            dependency parser (such as ``en_core_web_sm``).

    Returns:
        The attributions, numbered ``a1``, ``a2``, ... by content start (then cue start).
        Every span's offsets index ``doc.text``.

    Raises:
        ModelError: the document has tokens but no dependency parse.
    """
    text = doc.text  # built by joining every token: read it once
    if not text.strip():
        return ()
    if not doc.has_annotation("DEP"):
        raise ModelError(
            "attribution needs a dependency parse; process the text with a spaCy pipeline "
            "that has a parser (such as en_core_web_sm)"
        )
    ctx = Context.build(doc, text)
    candidates: list[Candidate] = [
        *verb_candidates(ctx),
        *according_candidates(ctx),
        *colon_candidates(ctx),
        *dash_candidates(ctx),
        *intro_candidates(ctx),
        *noun_candidates(ctx),
    ]
    return finalize(ctx, attach_quotes(ctx, candidates))
