"""Verb cues: "X said (that) ...", "X told reporters ...", "X believes/wants ...".

For every verb in the cue lexicon, the content is read off the dependency parse (a clausal
complement, an infinitive, an object, a prepositional object, or the clause a parenthetical
"he said" interrupts), the source is the verb's subject (climbing through "adding",
"and said", relative clauses), and the cue is the verb with its auxiliaries and particles.
A verb of saying with no content in the parse waits for an adjacent quotation
(``linking``).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from .candidate import Candidate, Context, Rule
from .ranges import Pieces, Range, clip, normalize, subtract, subtree_range, token_range, trim

NON_CLAUSE_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod", "nummod", "poss"})
"""A verb attached like this modifies a noun ("the said property"): never a cue."""

CUE_GROUP_DEPS = frozenset({"aux", "auxpass", "neg"})
"""Dependents that join the cue when they stand just left of the verb ("has said")."""

CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "acomp"})
"""A cue verb without a subject borrows the subject of its head through these relations
("..., adding that", "smiled and said", "after saying")."""

TRAILING_CUE_DEPS = frozenset({"advcl", "conj"})
"""How a participial cue clause ("..., citing X", "..., adding that") hangs off a content."""

MAX_CLIMB = 4
"""Heads climbed at most when looking for a subject: enough for "X went on to say"."""

OBJECT_COMPLEMENT_DEPS = frozenset({"oprd", "xcomp", "ccomp", "acomp"})
"""What the verb says of its object ("called it unfair") joins an object content."""

OBJECT_COMPLEMENT_PREPS = frozenset({"as", "for"})
"""Prepositions that do the same: "described X as ...", "criticized X for ..."."""

OBJECT_WORDS_SKIPPED = frozenset({"WP", "WDT"})
"""Tags of objects that are never a content (the "what" of "what he said")."""

MAX_BEFORE_COLON = 12
"""Tokens allowed between a verb and the colon that ends its clause ("said in a statement
released on Tuesday:"); a colon farther on belongs to another clause."""

MAX_NAME_TOKENS = 4
"""Longest name taken from the words before a verb the parser left without a subject."""


def verb_candidates(ctx: Context) -> Iterator[Candidate]:
    """Yield a candidate for every cue verb of the document."""
    for token in ctx.doc:
        if _is_cue_verb(ctx, token):
            yield _candidate(ctx, token)


def _is_cue_verb(ctx: Context, token: Token) -> bool:
    """Return whether the token is a verb of the lexicon used as a clause head."""
    if token.pos_ != "VERB" or token.dep_ in NON_CLAUSE_DEPS or _is_given_name(ctx, token):
        return False
    return ctx.category(token) is not None or _content_prep(ctx, token) is not None


def _is_given_name(ctx: Context, token: Token) -> bool:
    """Return whether a capitalised "Said" opening a sentence is a name ("Said Ahmed left")."""
    if not (token.is_sent_start and token.text[:1].isupper()) or token.i + 1 >= len(ctx.doc):
        return False
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in ctx.tree.children(token))
    return not has_subject and token.nbor().pos_ == "PROPN"


def _candidate(ctx: Context, token: Token) -> Candidate:
    """Build the candidate of one cue verb."""
    category = ctx.category(token)
    roles = ctx.lexicon.roles(category) if category else frozenset()
    prep = _content_prep(ctx, token)
    paragraph = ctx.paragraph_of(token.idx)
    colon = _colon_after(ctx, token)
    if colon is not None and not _has_clause(ctx, token, roles, prep):
        content = _after_colon(ctx, colon)
    else:
        # The parser's sentences may run over paragraph breaks; a clause never does.
        content = clip(_content(ctx, token, roles, prep), paragraph)
    source = _source(ctx, token)
    return Candidate(
        rule=Rule.VERB,
        cue=_cue(ctx, token, prep),
        content=trim(ctx.text, content),
        source=trim(ctx.text, clip(source, paragraph)) or None if source else None,
        takes_quote="quote" in roles,
    )


def _has_clause(ctx: Context, token: Token, roles: frozenset[str], prep: Token | None) -> bool:
    """Return whether the parse gives the verb a clausal content in its own paragraph."""
    para = ctx.paragraph_index(token.idx)
    return prep is not None or any(
        c.dep_ in roles
        and c.dep_ in ("ccomp", "xcomp")
        and c.idx > token.idx
        and ctx.paragraph_index(c.idx) == para
        for c in ctx.tree.children(token)
    )


def _content_prep(ctx: Context, token: Token) -> Token | None:
    """Return the preposition whose object is the content ("called for X"), if any."""
    preps = ctx.lexicon.prepositions(token)
    if not preps:
        return None
    for child in ctx.tree.rights(token):
        if (
            child.dep_ == "prep"
            and child.lower_ in preps
            and any(c.dep_ in ("pobj", "pcomp") for c in ctx.tree.children(child))
        ):
            return child
    return None


def _content(ctx: Context, token: Token, roles: frozenset[str], prep: Token | None) -> Pieces:
    """Return the raw content ranges of a cue verb (empty when the parse has none)."""
    clauses = [
        c for c in ctx.tree.children(token) if c.dep_ in roles and c.dep_ in ("ccomp", "xcomp")
    ]
    if clauses:
        clause = max(clauses, key=lambda c: c.right_edge.i - c.left_edge.i)
        start, end = subtree_range(clause)
        if clause.dep_ == "xcomp":
            # "told his advisers to act", "urged them to leave": the object joins the content.
            objects = [c for c in ctx.tree.rights(token) if c.dep_ == "dobj" and c.i < clause.i]
            start = min([start, *(c.left_edge.idx for c in objects)])
        return _without_trailing_cues(ctx, clause, ((start, end),))
    if prep is not None:
        return normalize(
            subtree_range(c) for c in ctx.tree.children(prep) if c.dep_ in ("pobj", "pcomp")
        )
    if "dobj" in roles:
        return _object_content(ctx, token)
    if _is_parenthetical(ctx, token):
        return subtract((subtree_range(_clause_top(token.head)),), subtree_range(token))
    return ()


def _object_content(ctx: Context, token: Token) -> Pieces:
    """Return the object with what the verb says of it ("described X as Y", "blamed X for Y")."""
    objects = [
        c for c in ctx.tree.rights(token) if c.dep_ == "dobj" and c.tag_ not in OBJECT_WORDS_SKIPPED
    ]
    if not objects:
        return ()
    first = objects[0]
    last = first
    for child in ctx.tree.rights(token):
        if child.i > last.i and (
            child.dep_ in OBJECT_COMPLEMENT_DEPS
            or (child.dep_ == "prep" and child.lower_ in OBJECT_COMPLEMENT_PREPS)
        ):
            last = child
    pieces: Pieces = ((first.left_edge.idx, last.right_edge.idx + len(last.right_edge.text)),)
    # A relative clause or apposition set off by a comma ("Trump, who says he is honored")
    # describes the object; PolNeAR leaves it out of the content.
    for child in ctx.tree.rights(first):
        if (
            child.dep_ in ("relcl", "appos")
            and child.i > 0
            and child.doc[child.left_edge.i - 1].text == ","
        ):
            pieces = subtract(pieces, subtree_range(child))
    return pieces


def _clause_top(token: Token) -> Token:
    """Climb from a conjunct to the first conjunct, whose subtree holds them all."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def _without_trailing_cues(ctx: Context, head: Token, pieces: Pieces) -> Pieces:
    """Cut a participial cue clause (", arguing that ...") off the end of a content."""
    # That clause is an attribution of its own (with the same source), not part of this one.
    for child in ctx.tree.rights(head):
        if (
            child.dep_ in TRAILING_CUE_DEPS
            and child.tag_ == "VBG"
            and ctx.lexicon.lemma(child) in ctx.lexicon.verbs
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in ctx.tree.children(child))
        ):
            pieces = subtract(pieces, (child.left_edge.idx, pieces[-1][1]))
            break
    return pieces


def _is_parenthetical(ctx: Context, token: Token) -> bool:
    """Return whether the verb interrupts or follows the clause it reports ("X, he said, Y")."""
    if token.head is token:
        return False
    if token.dep_ == "parataxis":
        return True
    return token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in ctx.tree.children(token)
    )


def _colon_after(ctx: Context, token: Token) -> Token | None:
    """Return the colon that ends the verb's clause ("X said in a statement:"), if any."""
    for child in ctx.tree.rights(token):
        if child.text == ":":
            between = token.doc[token.i + 1 : child.i]
            if len(between) <= MAX_BEFORE_COLON and all(t.pos_ != "VERB" for t in between):
                return child
            return None
    return None


def _after_colon(ctx: Context, colon: Token) -> Pieces:
    """Return the rest of the colon's paragraph, else the quotation or paragraph after it."""
    para_index = ctx.paragraph_index(colon.idx)
    start, end = colon.idx + 1, ctx.paragraphs[para_index][1]
    rest = trim(ctx.text, ((start, end),))
    if rest:
        return rest
    if para_index + 1 < len(ctx.paragraphs):
        nxt = ctx.paragraphs[para_index + 1]
        quote = ctx.quotes.containing(nxt[0])
        return quote.pieces if quote is not None and quote.start == nxt[0] else (nxt,)
    return ()


def _cue(ctx: Context, token: Token, prep: Token | None) -> Pieces:
    """Return the verb with its auxiliaries, particle, content preposition and colon."""
    first = token
    for child in ctx.tree.lefts(token):
        if child.dep_ in CUE_GROUP_DEPS and token.i - child.i <= 3:
            first = min(first, child, key=lambda t: t.i)
    pieces: list[Range] = [(first.idx, token.idx + len(token.text))]
    particles = ctx.lexicon.particles.get(ctx.lexicon.lemma(token), (frozenset(), ""))[0]
    extras = [c for c in ctx.tree.rights(token) if c.dep_ == "prt" and c.lower_ in particles]
    if prep is not None:
        extras.append(prep)
    nxt = token.nbor() if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.text == ":":
        extras.append(nxt)
    pieces.extend(token_range(t) for t in extras)
    return _join_close(ctx.text, pieces)


def _join_close(text: str, pieces: list[Range]) -> Pieces:
    """Merge cue pieces separated only by spaces, so "pointed out" is one piece."""
    merged: list[Range] = []
    for start, end in sorted(pieces):
        if merged and not text[merged[-1][1] : start].strip(" "):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return normalize(merged)


def _source(ctx: Context, token: Token) -> Pieces | None:
    """Return the source of a cue verb: its subject, or the subject it borrows."""
    node = token
    for _ in range(MAX_CLIMB):
        passive = any(c.dep_ == "auxpass" for c in ctx.tree.children(node))
        agents = [c for c in ctx.tree.children(node) if c.dep_ == "agent"]
        if agents:
            objects = [c for c in ctx.tree.children(agents[0]) if c.dep_ == "pobj"]
            return _noun_phrase(ctx.text, objects[0]) if objects else None
        subjects = [
            c
            for c in ctx.tree.children(node)
            if c.dep_ == "nsubj" and ctx.quotes.closed_containing(c.idx) is None
        ]
        if subjects and not passive:
            # The parser may give a quotation's own subject to the verb after it; the
            # speaker is the subject nearest the verb.
            return _noun_phrase(ctx.text, min(subjects, key=lambda c: abs(c.i - node.i)))
        if passive or node.head is node:
            return _preceding_name(token)
        if node.dep_ in ("relcl", "acl") and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return _head_phrase(ctx.text, node)
        if node.dep_ not in CLIMB_DEPS:
            return _preceding_name(token)
        node = node.head
    return None


def _preceding_name(token: Token) -> Pieces | None:
    """Return the proper name right before a verb the parser left without a subject."""
    # "... of the Washington Post Trump said": the parser made "Trump" an object of "of".
    i = token.i - 1
    while i >= 0 and token.doc[i].dep_ in CUE_GROUP_DEPS:
        i -= 1
    end = i
    if end < 0:
        return None
    while i >= 0 and token.doc[i].pos_ in ("PROPN", "NOUN") and token.i - i <= MAX_NAME_TOKENS:
        i -= 1
    if i == end or token.doc[end].pos_ != "PROPN":
        return None
    return ((token.doc[i + 1].idx, token.doc[end].idx + len(token.doc[end].text)),)


def _noun_phrase(text: str, token: Token) -> Pieces | None:
    """Return the trimmed subtree of a subject; None for an expletive."""
    if token.dep_ == "expl":
        return None
    return trim(text, (subtree_range(token),)) or None


def _head_phrase(text: str, modifier: Token) -> Pieces | None:
    """Return the noun phrase a clause modifies, without the clause ("a report saying")."""
    head = modifier.head
    start = head.left_edge.idx
    end = modifier.left_edge.idx if modifier.i > head.i else head.idx + len(head.text)
    return trim(text, ((start, end),)) or None
