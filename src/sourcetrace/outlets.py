"""News outlets, wire services and agencies: find them by URL or by name in text.

The table is data (``sourcetrace/data/outlets.json``, curated by hand; its ``_about`` key says
how to add entries). It is read and validated once per process. Matching in text is exact and
case-sensitive: "The Hill" is an outlet, "the hill behind the school" is not. Short forms that
need context ("the Times") are kept in ``ambiguous_aliases`` and never matched here, so that
callers can decide with more evidence.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sourcetrace.errors import DataError

OUTLETS_FILE = "outlets.json"
KINDS = frozenset({"wire", "agency", "newspaper", "broadcaster", "magazine", "online"})

_WORD = re.compile(r"\w+")
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")
_COUNTRY = re.compile(r"[A-Z]{2}")
_ARTICLE = "The "
_NEXT_WORD = re.compile(r"[ \t]+(\w+)")
_OPENING_EXTRA = 2
"""Characters after the first word that key ``OutletTable.by_opening``; two tell apart the
"The ..." forms well enough that the text scan tries a handful at each "The"."""


@dataclass(frozen=True, slots=True)
class Outlet:
    """One news organisation.

    Attributes:
        name: canonical name, unique in the table ("The New York Times").
        aliases: other unambiguous forms as they appear in text ("NYT").
        ambiguous_aliases: forms that need context to resolve ("the Times"); never matched.
        domains: lower-case registrable domains (or hosts) of its website.
        kind: one of ``KINDS``.
        country: ISO 3166-1 alpha-2 code of its home country.
        not_followed_by: words that, right after a name or alias, mean it is not this outlet
            ("The Guardian Council" is an Iranian body, not the newspaper).
    """

    name: str
    aliases: tuple[str, ...]
    ambiguous_aliases: tuple[str, ...]
    domains: tuple[str, ...]
    kind: str
    country: str
    not_followed_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OutletMention:
    """One mention of an outlet in a text; ``text == source[start:end]``.

    Attributes:
        outlet: the outlet's canonical name.
        text: the form found in the text (a name or alias, without any possessive "'s").
        start: offset of the first character.
        end: offset just past the last character.
    """

    outlet: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OutletTable:
    """A validated outlet table with its lookup indexes.

    Attributes:
        outlets: every outlet, in table order.
        by_domain: domain -> outlet.
        by_form: every matchable surface form -> outlet name.
        by_first_word: first word of a form -> its forms, longest first (the text scan index).
        vetoes: outlet name -> the words that veto a match when they follow it.
        first_words: matches, in one regex scan, the words of a text whose first character
            starts a form, so the text scan skips the other words.
        by_opening: a form's first word plus up to two characters -> the forms that open so,
            longest first. "The" and "the" start some 75 forms each; this index tries only the
            few that can follow ("The N" -> "The New York Times", ...).
    """

    outlets: tuple[Outlet, ...]
    by_domain: Mapping[str, Outlet]
    by_form: Mapping[str, str]
    by_first_word: Mapping[str, tuple[str, ...]]
    vetoes: Mapping[str, frozenset[str]]
    first_words: re.Pattern[str]
    by_opening: Mapping[str, tuple[str, ...]]

    def outlet(self, name: str) -> Outlet | None:
        """Return the outlet with this canonical name, or None."""
        return next((o for o in self.outlets if o.name == name), None)


def _fail(path: str, where: str, why: str) -> DataError:
    """Build the one-line error for a malformed table."""
    return DataError(f"{path}: {where}: {why}")


def _strings(entry: Mapping[str, Any], key: str, where: str, path: str) -> tuple[str, ...]:
    """Read an optional list of non-empty strings from an entry."""
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, f"'{key}' must be a list of non-empty strings")
    return tuple(value)


def _outlet(entry: Any, index: int, countries: Mapping[str, Any], path: str) -> Outlet:
    """Validate one table entry and turn it into an Outlet."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise _fail(path, f"entry {index}", "not an object with a string 'name'")
    name = entry["name"].strip()
    where = f"entry {index} ({name!r})"
    if not name:
        raise _fail(path, where, "empty name")
    kind, country = entry.get("kind"), entry.get("country")
    if kind not in KINDS:
        raise _fail(path, where, f"kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
    if not isinstance(country, str) or not _COUNTRY.fullmatch(country) or country not in countries:
        raise _fail(path, where, f"country {country!r} is not an alpha-2 code in 'countries'")
    domains = _strings(entry, "domains", where, path)
    for domain in domains:
        if not _DOMAIN.fullmatch(domain):
            raise _fail(path, where, f"domain {domain!r} is not a lower-case domain name")
    return Outlet(
        name=name,
        aliases=_strings(entry, "aliases", where, path),
        ambiguous_aliases=_strings(entry, "ambiguous_aliases", where, path),
        domains=domains,
        kind=kind,
        country=country,
        not_followed_by=_strings(entry, "not_followed_by", where, path),
    )


def _variants(form: str) -> Iterator[str]:
    """Yield a form and, for "The X", its mid-sentence spelling "the X"."""
    yield form
    if form.startswith(_ARTICLE):
        yield "t" + form[1:]


def _matchable(outlet: Outlet) -> Iterator[str]:
    """Yield the forms of an outlet that find_outlets matches."""
    ambiguous = set(outlet.ambiguous_aliases)
    for form in (outlet.name, *outlet.aliases):
        yield from (v for v in _variants(form) if v not in ambiguous)


def _index_forms(outlets: Iterable[Outlet], path: str) -> dict[str, str]:
    """Map each matchable form to its outlet; refuse forms shared or marked ambiguous elsewhere."""
    ambiguous = {form for o in outlets for form in o.ambiguous_aliases}
    forms: dict[str, str] = {}
    for outlet in outlets:
        where = f"outlet {outlet.name!r}"
        for form in _matchable(outlet):
            if not _WORD.match(form):
                raise _fail(path, where, f"alias {form!r} must start with a letter or digit")
            if form in ambiguous:
                raise _fail(path, where, f"alias {form!r} is listed as ambiguous elsewhere")
            owner = forms.setdefault(form, outlet.name)
            if owner != outlet.name:
                raise _fail(path, where, f"alias {form!r} also belongs to {owner!r}")
    return forms


def _index_domains(outlets: Iterable[Outlet], path: str) -> dict[str, Outlet]:
    """Map each domain to its outlet; refuse a domain listed by two outlets."""
    domains: dict[str, Outlet] = {}
    for outlet in outlets:
        for domain in outlet.domains:
            owner = domains.setdefault(domain, outlet)
            if owner is not outlet:
                raise _fail(
                    path,
                    f"outlet {outlet.name!r}",
                    f"domain {domain!r} also belongs to {owner.name!r}",
                )
    return domains


def _by_first_word(forms: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Group forms by their first word, longest first, so that the longest form is tried first."""
    groups: dict[str, list[str]] = {}
    for form in forms:
        match = _WORD.match(form)
        assert match is not None  # _index_forms refuses forms that do not start with a word
        groups.setdefault(match.group(), []).append(form)
    return {
        word: tuple(sorted(group, key=lambda f: (-len(f), f))) for word, group in groups.items()
    }


def _opening(form: str, first_word: str) -> str:
    """The key of a form in ``OutletTable.by_opening``: its first word and two characters more."""
    return form[: len(first_word) + _OPENING_EXTRA]


def _by_opening(by_first_word: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Group the forms by their opening, keeping the longest-first order of ``by_first_word``."""
    groups: dict[str, list[str]] = {}
    for word, forms in by_first_word.items():
        for form in forms:
            groups.setdefault(_opening(form, word), []).append(form)
    return {key: tuple(group) for key, group in groups.items()}


def _first_char_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Match the ``_WORD`` runs that open with the first character of one of ``words``."""
    # One character class skips most words in C; the word itself is then looked up in Python.
    # A single alternation of the words was tried: the regex engine tries its branches one by
    # one and it was slower than the plain word scan.
    chars = "".join(sorted({w[0] for w in words}))
    return re.compile(rf"(?<!\w)[{re.escape(chars)}]\w*" if chars else r"(?!)")


def parse_table(data: Any, path: str = OUTLETS_FILE) -> OutletTable:
    """Validate a parsed outlet table and build its indexes.

    Args:
        data: the parsed JSON document (an object with ``countries`` and ``outlets``).
        path: the file name to put in error messages.

    Returns:
        The validated table.

    Raises:
        DataError: the table is malformed; the message names the entry and the reason.
    """
    if not isinstance(data, dict):
        raise _fail(path, "top level", "not a JSON object")
    countries, entries = data.get("countries"), data.get("outlets")
    if not isinstance(countries, dict) or not isinstance(entries, list):
        raise _fail(path, "top level", "needs a 'countries' object and an 'outlets' list")
    outlets = tuple(_outlet(entry, i, countries, path) for i, entry in enumerate(entries))
    names: set[str] = set()
    for outlet in outlets:
        if outlet.name in names:
            raise _fail(path, f"outlet {outlet.name!r}", "name is used by two entries")
        names.add(outlet.name)
    forms = _index_forms(outlets, path)
    by_first_word = _by_first_word(forms)
    return OutletTable(
        outlets=outlets,
        by_domain=_index_domains(outlets, path),
        by_form=forms,
        by_first_word=by_first_word,
        first_words=_first_char_pattern(by_first_word),
        by_opening=_by_opening(by_first_word),
        vetoes={o.name: frozenset(o.not_followed_by) for o in outlets if o.not_followed_by},
    )


def read_table(path: Path) -> OutletTable:
    """Read and validate an outlet table from a JSON file.

    Args:
        path: the JSON file.

    Returns:
        The validated table.

    Raises:
        DataError: the file cannot be read, is not JSON, or is malformed.
    """
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(str(path), "file", f"cannot read the outlet table ({exc})") from exc
    return parse_table(data, str(path))


@functools.cache
def outlet_table() -> OutletTable:
    """Return the outlet table shipped with sourcetrace (read and validated once per process)."""
    text = resources.files("sourcetrace").joinpath("data", OUTLETS_FILE).read_text("utf-8")
    return parse_table(json.loads(text))


def _host(url: str) -> str | None:
    """Return the lower-case host name of a URL (scheme optional), or None if there is none."""
    url = url.strip()
    if not url or any(c.isspace() for c in url):
        return None
    if "://" not in url and not url.startswith("//"):
        url = "//" + url  # so that "cnn.com/x" and "cnn.com:80" parse as hosts, not schemes
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  # raises ValueError on a malformed port such as ":abc"
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".")
    return host if _DOMAIN.fullmatch(host) else None


def outlet_for_url(url: str, table: OutletTable | None = None) -> Outlet | None:
    """Return the outlet that publishes at a URL, matching its host or any parent domain.

    ``https://edition.cnn.com/2024/x`` and ``www.bbc.co.uk/news`` match; so do upper-case hosts,
    hosts with ports and URLs without a scheme. ``notcnn.com`` does not match ``cnn.com``.

    Args:
        url: an absolute URL, or a host with an optional path.
        table: the table to search; the shipped table by default.

    Returns:
        The outlet, or None if the URL has no host or no outlet owns it.
    """
    host = _host(url)
    if host is None:
        return None
    domains = (table or outlet_table()).by_domain
    labels = host.split(".")
    # Most specific first, so that a host listed in the table (news.sky.com) wins.
    for i in range(len(labels) - 1):
        outlet = domains.get(".".join(labels[i:]))
        if outlet is not None:
            return outlet
    return None


def _candidates(text: str, table: OutletTable) -> Iterator[OutletMention]:
    """Yield the longest form starting at each word of the text (overlaps included)."""
    for word in table.first_words.finditer(text):
        if word.group() not in table.by_first_word:
            continue
        start = word.start()
        for form in _openers(text, start, word.end(), table):
            end = start + len(form)
            # The form must end at a word boundary: "CNN's" matches, "CNNs" and "Timesheet" do not.
            if not text.startswith(form, start) or (end < len(text) and _is_word(text[end])):
                continue
            name = table.by_form[form]
            following = _NEXT_WORD.match(text, end)
            if following and following.group(1) in table.vetoes.get(name, ()):
                continue  # a shorter form may still match ("The Guardian Council" -> none)
            yield OutletMention(name, form, start, end)
            break


def _openers(text: str, start: int, end: int, table: OutletTable) -> Iterator[str]:
    """The forms whose opening the text has at ``start`` (first word ending at ``end``).

    A superset of the forms that start there, in ``by_first_word`` order: the forms with the
    full opening are the longest, then those one and no character past the first word.
    """
    for extra in range(_OPENING_EXTRA, -1, -1):
        if end + extra <= len(text):
            yield from table.by_opening.get(text[start : end + extra], ())


def _is_word(char: str) -> bool:
    """Return whether a character is a letter, digit or underscore (a regex word character)."""
    return char.isalnum() or char == "_"


def find_outlets(text: str, table: OutletTable | None = None) -> list[OutletMention]:
    """Find every mention of an outlet's name or unambiguous alias in a text.

    Matching is case-sensitive on word boundaries; a possessive ("CNN's", "Reuters'") is left
    out of the span. Where two mentions overlap, the longer wins ("The New York Times Magazine"
    would beat "The New York Times" if both were in the table). One precompiled regex skips the
    words whose first character starts no form; each other word is looked up in an index of
    first words (then of openings), so the scan is linear in the length of the text.

    Args:
        text: the text to search.
        table: the table to search; the shipped table by default.

    Returns:
        The mentions in text order, each with ``text[start:end] == mention.text``.
    """
    found = sorted(
        _candidates(text, table or outlet_table()), key=lambda m: (m.start - m.end, m.start)
    )
    # Longest first; a byte per character marks what is taken, so the check costs the length
    # of the form, not the number of mentions chosen so far.
    taken = bytearray(len(text))
    chosen: list[OutletMention] = []
    for mention in found:
        if taken.find(1, mention.start, mention.end) == -1:
            chosen.append(mention)
            taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    return sorted(chosen, key=lambda m: m.start)
