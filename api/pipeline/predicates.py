"""What a reporting verb reports when it has no clause: its objects, infinitives and
prepositional phrases ("urged supporters to vote", "called for a repeal")."""

from __future__ import annotations

from spacy.tokens import Token

from api.pipeline.complements import cue_particles
from api.pipeline.lexicon import Lexicon

# Objects a verb's content is made of: "described the talks as a success", "called
# Trump's claim 'false'". Datives ("told reporters") name the audience, not the words.
_OBJECT_DEPS = {"dobj", "oprd", "acomp"}
# Phrases hung on the cue after its object that go on with the content.
_TRAILING_DEPS = {"prep", "npadvmod", "advmod"}


def predicate_tokens(cue: Token, lexicon: Lexicon, excluded: set[int]) -> list[int]:
    """Objects and infinitives after the cue: "urged supporters to monitor polls".

    An infinitive is content for verbs of intention and demand ("vowed to punish", not
    "continued to push"); a bare noun phrase only for verbs whose object is what they
    report ("cited the release of prisoners"), never for "signaled openness".
    """
    particles = cue_particles(cue, lexicon)
    excluded = excluded | {cue.i} | particles
    lemma = lexicon.lemma(cue)
    preps = lexicon.prepositional.get(lemma, frozenset())
    tokens: list[int] = []
    clause = False
    for child in cue.children:
        # A light verb's object is cue ("expressed concern about"): its rest is content.
        light_object = child.dep_ == "dobj" and child.i in particles
        if child.i < cue.i or (
            child.i in excluded and child.lower_ not in preps and not light_object
        ):
            continue
        part = False
        if child.dep_ == "xcomp" and child.pos_ in {"VERB", "AUX"}:
            # "did not mention requesting a donation": a gerund object is a noun phrase.
            if child.tag_ == "VBG" and lemma in lexicon.nominal_verbs:
                part = True
            elif lemma in lexicon.nominal_verbs and _after_object(cue, child, "to"):
                # "announced a website to explain the rules": the infinitive goes on
                # with the object, though the parser hung it on the cue.
                part = True
            elif lemma not in lexicon.infinitive_verbs:
                continue
            else:
                part = clause = True
        elif child.dep_ in _OBJECT_DEPS or (child.dep_ == "prep" and child.lower_ == "as"):
            part = True
        elif (
            child.dep_ == "advcl"
            and lemma in lexicon.nominal_verbs
            and _after_object(cue, child, "to")
        ):
            part = True  # "proposed $1 billion in funds to help states"
        elif child.dep_ == "advcl" and _after_object(cue, child, "as"):
            # "described the dinner as Washington celebrating itself": the parser made
            # the predicative a clause.
            part = True
        elif child.dep_ == "prep" and child.lower_ in preps:
            # "warned against the forces of hate": the preposition the lexicon gives
            # the verb introduces what it reports, a noun phrase as well as a clause.
            part = True
            clause = clause or any(g.dep_ in {"pcomp", "pobj"} for g in child.children)
        elif child.dep_ == "advcl" and _opened_by(cue, child, preps):
            # "called for the wage to be raised": the parser made "for ... to" a clause.
            excluded = excluded | {child.left_edge.i}
            part = clause = True
        if part:
            tokens.extend(t.i for t in child.subtree if t.i not in excluded)
    if not clause and lemma not in lexicon.object_verbs | lexicon.nominal_verbs:
        return []
    return _with_trailing_modifiers(cue, tokens, excluded)


def _after_object(cue: Token, clause: Token, word: str) -> bool:
    """Whether the clause opens with ``word`` ("to", "as") right after the cue's object."""
    first = clause.doc[clause.left_edge.i]
    objects = [c for c in cue.children if c.dep_ == "dobj" and c.i < first.i]
    return first.lower_ == word and bool(objects) and objects[-1].right_edge.i + 1 == first.i


def _opened_by(cue: Token, clause: Token, preps: frozenset[str]) -> bool:
    """Whether the clause starts right after the cue with one of its prepositions."""
    first = clause.doc[clause.left_edge.i]
    return first.i == cue.i + 1 and first.lower_ in preps and first.dep_ in {"mark", "prep"}


def _with_trailing_modifiers(cue: Token, tokens: list[int], excluded: set[int]) -> list[int]:
    """The phrases the parser hung on the cue after its object belong to the content:
    "announced his engagement to the model", "demanded more clarity from Obama on the
    war". A comma, a time phrase ("on Monday") or the speaker ends the content."""
    if not tokens:
        return tokens
    doc = cue.doc
    last = max(tokens)
    for child in cue.children:
        if child.i <= last or child.dep_ not in _TRAILING_DEPS:
            continue
        subtree = list(child.subtree)
        if child.left_edge.i <= last or any(doc[j].is_punct for j in range(last + 1, child.i)):
            break
        if any(t.i in excluded or t.ent_type_ in {"DATE", "TIME"} for t in subtree):
            break
        tokens = [*tokens, *(t.i for t in subtree)]
        last = max(tokens)
    return tokens
