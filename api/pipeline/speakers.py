"""Speaker mentions: which tokens name the speaker, and what kind of actor they name."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from api.pipeline.lexicon import Lexicon, load_lexicon
from api.pipeline.types import SpeakerGuess
from api.services.names import strip_possessive

# Parts of a subject's subtree that describe rather than name the speaker.
_DETACHED = {"relcl", "acl", "appos", "advcl"}
_PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "we", "i"}
# Document heads that only say "a text of some kind": "draft language" is the draft.
_GENERIC_DOCUMENT_HEADS = {"document", "language", "text", "paper"}


def contiguous_around(ids: set[int], center: int) -> list[int]:
    """The run of consecutive token indices containing ``center``: a detached clause
    in the middle of a subtree cuts it there."""
    start = end = center
    while start - 1 in ids:
        start -= 1
    while end + 1 in ids:
        end += 1
    return list(range(start, end + 1))


def mention_tokens(head: Token) -> list[int]:
    """Token indices naming the speaker: the head with its modifiers, without clauses."""
    keep: set[int] = set()

    def visit(token: Token) -> None:
        keep.add(token.i)
        for child in token.children:
            # Coordination is kept only at the head ("France and the UK").
            if child.dep_ in _DETACHED or (child.dep_ in {"conj", "cc"} and token != head):
                continue
            if child.is_space:
                continue
            visit(child)

    visit(head)
    block = contiguous_around(keep, head.i)
    doc = head.doc
    while len(block) > 1 and (doc[block[-1]].is_punct or doc[block[-1]].is_space):
        block.pop()
    while len(block) > 1 and (doc[block[0]].is_punct or doc[block[0]].is_space):
        block.pop(0)
    return block


def describe_speaker(span: Span, lexicon: Lexicon) -> SpeakerGuess | None:
    """The kind, name and role a mention gives, before resolution against the article."""
    text = span.text.strip()
    root = span.root
    if len(span) == 1 and root.lower_ in _PRONOUNS:
        return SpeakerGuess(kind="pronoun", name=root.lower_)
    if any(t.dep_ == "cc" and t.head == root for t in span):
        return None  # "France and the UK announced": several speakers, no single actor
    government = lexicon.government_name(text)
    if government is not None:
        # Checked before names: NER sometimes tags "Kyiv" as a person.
        return SpeakerGuess(kind="government", name=government)
    persons = [e for e in span.ents if e.label_ == "PERSON"]
    if persons:
        person = persons[-1]
        start = name_start(person, lexicon)
        if start is not None:
            role = role_before(span.doc, span.start, start) or appositive_role(span.root)
            name = strip_possessive(span.doc[start : person.end].text)
            return SpeakerGuess(kind="person", name=name, role=role)
    media = lexicon.media_name(text)
    if media is not None:
        return SpeakerGuess(kind="media", name=media)
    lemma = root.lemma_.lower()
    determiner = span[0].lower_ if span[0].dep_ == "det" else ""
    if lemma in lexicon.media_anaphora and determiner in {"the", "this", "that"}:
        return SpeakerGuess(kind="media_anaphora", name=root.lower_)
    if lemma in lexicon.document_nouns:
        return SpeakerGuess(kind="document", name=document_name(_document_name(root), lexicon))
    for entity in span.ents:
        if entity.root == root and entity.label_ in {"ORG", "NORP", "GPE", "FAC"}:
            media = lexicon.media_name(entity.text)
            if media is not None:
                return SpeakerGuess(kind="media", name=media)
            kind = "government" if entity.label_ == "GPE" else "organisation"
            return SpeakerGuess(kind=kind, name=strip_possessive(entity.text))
    if lemma in lexicon.group_nouns:
        return SpeakerGuess(kind="group", name=_without_determiner(span))
    if root.pos_ == "PROPN":
        # A capitalised name the entity recogniser did not type: a surname ("Merz said")
        # as often as an organisation. Resolution decides against the rest of the article.
        return SpeakerGuess(kind="name", name=_without_determiner(span))
    return None


def name_start(entity: Span, lexicon: Lexicon) -> int | None:
    """Where the name of a PERSON entity begins, past title words and forms of address
    the recogniser took into it ("Envoy Witkoff", "Sir Keir Starmer"); None when the
    entity is nothing but such words."""
    start = entity.start
    doc = entity.doc
    while start < entity.end and doc[start].lower_.rstrip(".") in (
        lexicon.titles | lexicon.honorifics
    ):
        start += 1
    return start if start < entity.end else None


def document_name(name: str, lexicon: Lexicon) -> str:
    """ "draft document", "draft language", "draft text" -> "draft": the generic head adds
    nothing to a document noun before it, and the three name one document."""
    words = name.split()
    if (
        len(words) == 2
        and words[1].casefold() in _GENERIC_DOCUMENT_HEADS
        and words[0].casefold() in lexicon.document_nouns
    ):
        return words[0]
    return name


def role_before(doc: Doc, start: int, name_start: int) -> str | None:
    """The title written before a name: "U.S. envoy Steve Witkoff" -> "U.S. envoy".

    A plural title shared by several names ("U.S. envoys Steve Witkoff and Jared
    Kushner") is given in the singular, as each person's role. Forms of address are no
    role and a possessive reads as an adjective ("Germany's Chancellor" -> "German
    Chancellor"; see ``Lexicon.clean_role``).
    """
    tokens = [t for t in doc[start:name_start] if not t.is_space]
    while tokens and (tokens[0].dep_ in {"det", "predet"} or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    last = tokens[-1]
    # Spans, not doc.text: a Doc rebuilds its whole text on every access.
    head = doc[tokens[0].i : last.i].text_with_ws
    ending = last.lemma_ if last.tag_ in {"NNS", "NNPS"} and last.lemma_ else last.text
    return load_lexicon().clean_role(head + ending)


def appositive_role(head: Token) -> str | None:
    """ "Olaf Scholz, the German finance minister, said": the role follows the name."""
    for child in head.children:
        if child.dep_ == "appos" and child.ent_type_ != "PERSON" and child.pos_ == "NOUN":
            ids = {t.i for t in child.subtree if t.dep_ not in {"relcl", "acl", "punct"}}
            block = contiguous_around(ids, child.i)
            tokens = [head.doc[i] for i in block]
            while tokens and tokens[0].dep_ in {"det", "predet"}:
                tokens = tokens[1:]
            if tokens:
                return head.doc[tokens[0].i : tokens[-1].i + 1].text
    return None


def _without_determiner(span: Span) -> str:
    tokens = list(span)
    while tokens and tokens[0].dep_ in {"det", "predet"}:
        tokens = tokens[1:]
    if not tokens:
        return span.text
    return span.doc[tokens[0].i : span.end].text


def _document_name(root: Token) -> str:
    """ "a draft document from the so-called coalition" -> "draft document";
    "a declaration of intent signed by ..." -> "declaration of intent"."""
    ids: set[int] = set()

    def visit(token: Token) -> None:
        ids.add(token.i)
        for child in token.children:
            if child.dep_ in {"acl", "relcl", "appos", "punct", "det"}:
                continue
            if (
                token == root
                and child.i > root.i
                and not (child.dep_ == "prep" and child.lower_ == "of")
            ):
                continue
            visit(child)

    visit(root)
    block = contiguous_around(ids, root.i)
    doc = root.doc
    first, last = doc[block[0]], doc[block[-1]]
    return doc[first.i : last.i + 1].text
