"""What a reporting verb reports: its content tokens, found on the dependency parse.

In order of trust: a clausal complement ("said [that] X"), a complementiser the parser
lost, a predicate of objects and infinitives ("urged supporters to vote", "called for
a repeal"; see predicates.py); a quote in the same sentence and words after a colon are
in quote_complements.py.
"""

from __future__ import annotations

from spacy.tokens import Token

from api.pipeline.cues import has_modal, is_cue, subject_of
from api.pipeline.lexicon import Lexicon

_REASON_MARKS = {"because", "although", "though", "since", "unless", "if"}
_OBJECT_DEPS = {"dobj", "dative"}
_NOUN_DEPS = {"poss", "case"}
_PREP_PHRASE_DEPS = {
    "prep",
    "pobj",
    "det",
    "amod",
    "compound",
    "nummod",
    "punct",
    "advmod",
    "npadvmod",
}


def clause_tokens(cue: Token, lexicon: Lexicon, excluded: set[int]) -> list[int]:
    """The clause a cue reports: its complement, or the clause it is inserted in."""
    excluded = excluded | {cue.i} | cue_particles(cue, lexicon)
    # A clause holding the speaker is not what they said: '“...,” said Robin Maynard,
    # half joking' parses "joking" as a clause with Maynard for subject.
    clauses = [
        c
        for c in cue.children
        if c.dep_ in {"ccomp", "parataxis"}
        and not any(t.i in excluded for t in c.subtree)
        and not _inserted_attribution(c, lexicon)
    ]
    if clauses:
        # "Gray ticked through the code: “Civility was assumed,” he said": of two clauses
        # hung on the cue, the nearer one is what it reports.
        nearest = min(
            clauses, key=lambda c: min(abs(c.left_edge.i - cue.i), abs(c.right_edge.i - cue.i))
        )
        tokens = _without_coordinated_cues(nearest, cue, lexicon, excluded)
        # "hope the technology developed there can aid ...": the parser split one clause
        # in two complements on the same side of the cue; together they are the content.
        for other in clauses:
            same_side = (other.i > cue.i) == (nearest.i > cue.i)
            split = other != nearest and other.dep_ == "ccomp" and same_side
            if split and not is_cue(other, lexicon):
                tokens = [*tokens, *_without_coordinated_cues(other, cue, lexicon, excluded)]
        return _with_coordinated_clauses(cue, tokens, lexicon, excluded)
    complementiser = _complementiser_after(cue)
    if complementiser is not None:
        # "arguing that allies had ...", "said after the summit that ...": the parser lost
        # the clause, but the complementiser still marks where the content starts.
        end = max(cue.right_edge.i, cue.sent.end - 1)
        return [i for i in range(complementiser.i + 1, end + 1) if i not in excluded]
    if cue.dep_ == "parataxis" and cue.head.pos_ in {"VERB", "AUX"}:
        return _host_clause(cue, excluded)
    return []


_INSERT_MARKS = {",", "—", "–", "("}


def _inserted_attribution(clause: Token, lexicon: Lexicon) -> bool:
    """ "Back home, the mayor said, she decided to run": the inserted "the mayor said" is
    the attribution of the clause around it, not what "decided" reports."""
    return (
        clause.dep_ == "parataxis"
        and is_cue(clause, lexicon)
        and any(c.dep_ in {"nsubj", "nsubjpass"} for c in clause.children)
        and _set_off(clause)
    )


def _set_off(clause: Token) -> bool:
    """Whether a comma, dash or bracket opens the clause (its own or the one before it)."""
    first = clause.left_edge
    if first.text in _INSERT_MARKS:
        return True
    return first.i > 0 and clause.doc[first.i - 1].text in _INSERT_MARKS


def _with_coordinated_clauses(
    cue: Token, tokens: list[int], lexicon: Lexicon, excluded: set[int]
) -> list[int]:
    """ "said the group is neutral, and its members would vote": a conjunct the parser
    hung on the cue after its clause goes on with what was said, unless it is another
    reporting verb ("... and cited the figures", a statement of its own). So does a
    reason or condition ("..., because voters are angry")."""
    if not tokens or min(tokens) < cue.i:
        return tokens
    last = max(tokens)
    for child in cue.children:
        if child.i <= last:
            continue
        conjunct = child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}
        reason = child.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _REASON_MARKS for c in child.children
        )
        if not (conjunct or reason):
            continue
        subtree = [t.i for t in child.subtree]
        # "said she hoped to win and then would continue to campaign": a modal conjunct
        # goes on with what was said even when its verb could report.
        reports = is_cue(child, lexicon) and not has_modal(child)
        if reports or any(i in excluded for i in subtree):
            break
        conjunctions = [c.i for c in cue.children if c.dep_ == "cc" and last < c.i < child.i]
        tokens = [*tokens, *conjunctions, *subtree]
        last = max(tokens)
    return tokens


def _host_clause(cue: Token, excluded: set[int]) -> list[int]:
    """ "The talks, he said, were useful": an inserted cue reports the clause around it."""
    own = {t.i for t in cue.subtree}
    host = [t.i for t in cue.head.subtree if t.i not in own and t.i not in excluded]
    # A content is one span, and the speaker may not sit inside it: of the clause's
    # two sides, the longer one carries most of what was said.
    before = [i for i in host if i < cue.left_edge.i]
    after = [i for i in host if i > cue.right_edge.i]
    return before if len(before) >= len(after) else after


def cue_particles(cue: Token, lexicon: Lexicon) -> set[int]:
    """Words that belong to the cue rather than to its content: the complement of a
    phrasal cue ("makes clear"), a preposition right after it ("called for", "spoke
    highly of", "called for the law to be repealed"), with the adverbs before that
    preposition, and the object of a light verb up to the word that opens the content
    ("expressed concern about", "issued a statement saying")."""
    lemma = lexicon.lemma(cue)
    doc = cue.doc
    found = {c.i for c in cue.children if c.lemma_.lower() in lexicon.phrasal.get(lemma, ())}
    adverbs: list[int] = []
    i = cue.i + 1
    while i < len(doc) and doc[i].head == cue and doc[i].dep_ == "advmod":
        adverbs.append(i)
        i += 1
    after = doc[i] if i < len(doc) else None
    if after is not None and after.lower_ in lexicon.prepositional.get(lemma, ()):
        # "called for the wage to be raised": the parser may make "for" the clause's mark.
        opens_clause = after.dep_ == "mark" and after.head.head == cue
        if (after.head == cue and after.dep_ in {"prep", "prt"}) or opens_clause:
            found.update([*adverbs, after.i])
    elif not adverbs:
        found.update(_light_object(cue, lexicon))
    if adverbs and adverbs[-1] + 1 in found:
        found.update(adverbs)
    return found


def _light_object(cue: Token, lexicon: Lexicon) -> set[int]:
    """ "expressed concern about the plan", "offered his thoughts on", "issued a
    statement saying": the object of a light verb and the preposition (or reporting
    participle) after it are the cue; what follows is the content."""
    light = lexicon.light_verbs.get(lexicon.lemma(cue))
    if light is None:
        return set()
    doc = cue.doc
    for noun in cue.children:
        if noun.dep_ != "dobj" or noun.i <= cue.i or noun.left_edge.i != cue.i + 1:
            continue
        # "expressed their support for": a possessed object stays in the content.
        if any(
            t.dep_ in {"punct", "cc", "conj", "relcl", "acl", "poss"}
            for t in doc[cue.i + 1 : noun.i]
        ):
            return set()
        following = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
        if following is None or following.head != noun:
            return set()
        opens = (following.dep_ == "prep" and following.lower_ in light) or (
            following.dep_ == "acl" and following.tag_ == "VBG" and is_cue(following, lexicon)
        )
        if opens:
            return set(range(cue.i + 1, following.i + 1))
    return set()


def _complementiser_after(cue: Token) -> Token | None:
    """A "that" right after the cue, or after a short prepositional phrase or the cue's
    object."""
    doc = cue.doc
    past_object = False
    for i in range(cue.i + 1, min(cue.i + 8, cue.sent.end)):
        token = doc[i]
        if token.lower_ == "that":
            # "told a meeting of leaders that ...": after an object, only a "that" the
            # parser marked as a complementiser (not "told a story that moved them").
            return token if token.dep_ == "mark" or not past_object else None
        if token.dep_ in _OBJECT_DEPS and token.head == cue:
            past_object = True
        elif token.dep_ not in _PREP_PHRASE_DEPS and token.dep_ not in _NOUN_DEPS:
            return None
    return None


def _without_coordinated_cues(
    clause: Token, cue: Token, lexicon: Lexicon, excluded: set[int]
) -> list[int]:
    """ "said the talks made progress but cautioned that ...": the second cue is its own."""
    dropped: set[int] = set()
    for token in clause.subtree:
        if (
            token != clause
            and is_cue(token, lexicon)
            and subject_of(token, lexicon) == subject_of(cue, lexicon)
        ):
            dropped.update(t.i for t in token.subtree)
            dropped.update(t.i for t in token.children if t.dep_ == "cc")
            dropped.update(c.i for c in token.head.children if c.dep_ == "cc" and c.i < token.i)
    return [t.i for t in clause.subtree if t.i not in excluded and t.i not in dropped]
