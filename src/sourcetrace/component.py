"""The ``sourcetrace`` spaCy pipeline component.

Usage::

    import spacy
    import sourcetrace.component  # or rely on the installed entry point

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("sourcetrace")
    doc = nlp("The mayor said the bridge would reopen.")
    doc._.attributions  # tuple of sourcetrace.records.Attribution

The component reads the dependency parse, so it must come after a parser.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .attribution.learned import Extractor, load_extractor
from .errors import ModelError
from .records import Attribution
from .settings import AnalysisSettings

EXTENSION = "attributions"
"""Name of the Doc extension the component fills: ``doc._.attributions``."""

_PARSE_ATTRIBUTE = "token.dep"
"""What a pipe must assign for the component to work (spaCy's ``assigns`` metadata)."""


def register_extension() -> None:
    """Register ``Doc._.attributions`` (an empty tuple by default); safe to call repeatedly."""
    if not Doc.has_extension(EXTENSION):
        Doc.set_extension(EXTENSION, default=())


class SourcetraceComponent:
    """Pipeline component that stores the document's attributions in ``doc._.attributions``."""

    def __init__(self, extract: Extractor) -> None:
        self.extract = extract

    def __call__(self, doc: Doc) -> Doc:
        """Extract the attributions of a parsed ``doc`` and store them on it."""
        attributions: tuple[Attribution, ...] = self.extract(doc)
        doc._.set(EXTENSION, attributions)
        return doc


def _has_parser(nlp: Language) -> bool:
    """Return whether an enabled pipe before this one assigns the dependency parse."""
    return any(_PARSE_ATTRIBUTE in nlp.get_pipe_meta(name).assigns for name in nlp.pipe_names)


@Language.factory(
    "sourcetrace",
    requires=["token.dep", "token.head", "token.lemma", "token.pos"],
    assigns=[f"doc._.{EXTENSION}"],
    default_config={"model": "learned", "model_dir": None},
)
def make_sourcetrace_component(
    nlp: Language, name: str, model: str, model_dir: str | None
) -> SourcetraceComponent:
    """Build the component; spaCy calls this from ``nlp.add_pipe("sourcetrace")``.

    Args:
        nlp: the pipeline the component is added to.
        name: the component's name in that pipeline.
        model: ``learned`` (default) or ``rules``, as ``--model`` on the command line.
        model_dir: a folder written by ``sourcetrace train``; None uses the packaged model.

    Raises:
        ModelError: the pipeline has no dependency parser, or the model cannot be loaded.
        SettingsError: ``model`` or ``model_dir`` is invalid.
    """
    if not _has_parser(nlp):
        raise ModelError(
            f"cannot add {name!r} to this spaCy pipeline: it has no dependency parser "
            f"(pipes: {', '.join(nlp.pipe_names) or 'none'}); load a pipeline with a parser, "
            "such as en_core_web_sm"
        )
    settings = AnalysisSettings(
        model=model,  # type: ignore[arg-type]  # validated by AnalysisSettings
        model_dir=Path(model_dir) if model_dir else None,
    )
    register_extension()
    return SourcetraceComponent(load_extractor(settings.model, settings.model_dir))


register_extension()
