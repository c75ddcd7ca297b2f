"""Reporting cues on the dependency parse: which verbs report, and who their subject is."""

from __future__ import annotations

from spacy.tokens import Token

from api.pipeline.lexicon import Lexicon
from api.pipeline.quotes import QuoteSpan

PARTICIPLE_DEPS = {"advcl", "xcomp", "conj", "ccomp"}


def is_cue(token: Token, lexicon: Lexicon) -> bool:
    lemma = lexicon.lemma(token)
    if token.pos_ not in {"VERB", "AUX"}:
        return False
    if lemma in lexicon.phrasal:
        return any(c.lemma_.lower() in lexicon.phrasal[lemma] for c in token.children)
    if lemma not in lexicon.cue_verbs:
        return False
    # Passives ("it was reported", "as reported by AFP") carry no speaker subject.
    if any(c.dep_ in {"auxpass", "agent", "nsubjpass"} for c in token.children):
        return False
    needed = lexicon.predicative.get(lemma)
    return needed is None or _has_predicative(token, needed)


def _has_predicative(verb: Token, words: frozenset[str]) -> bool:
    """ "sees Trump as a threat": the word on the verb, or on its object, where the
    parser may hang it."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in words:
            return True
        if child.dep_ == "dobj" and any(
            g.dep_ == "prep" and g.lower_ in words for g in child.children
        ):
            return True
    return False


def subject_of(verb: Token, lexicon: Lexicon) -> Token | None:
    """The cue's subject, inherited through coordination and participles ("..., saying")."""
    current = verb
    for _ in range(6):
        if _misattached_coordination(current, lexicon):
            # "Starmer said the talks made progress but cautioned that ...": the parser
            # hangs "cautioned" on "made"; its subject is the outer cue's, not "the talks".
            current = current.head.head
            continue
        reporter = _reporter_of_participle(current, lexicon)
        if reporter is not None:
            current = reporter
            continue
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if subjects:
            # "WASHINGTON (UPI) — A spokesman ... called": of two subjects the parser
            # gave the verb, the dateline is the farther one.
            before = [c for c in subjects if c.i < current.i]
            return before[-1] if before else subjects[0]
        # "..., saying": a present participle shares its clause's subject. A past
        # participle cue does not ("Asked about the plan, he said": he was asked); one
        # on the way up may ("said progress had been made, arguing that ...").
        passive_cue = current == verb and current.tag_ == "VBN"
        participle = (
            current.tag_ in {"VBG", "VBN"} and current.dep_ in PARTICIPLE_DEPS and not passive_cue
        )
        if current.dep_ == "conj" or participle:
            current = current.head
            continue
        controller = _controller(current)
        if controller is None:
            return None
        current = controller
    return None


def _controller(current: Token) -> Token | None:
    """The verb a subjectless cue takes its subject from: "after suggesting that ...",
    "went on TV to defend", "was reluctant to endorse"."""
    head = current.head
    if current.dep_ == "pcomp" and current.tag_ == "VBG" and head.dep_ == "prep":
        return head.head if head.head.pos_ in {"VERB", "AUX"} else None
    if current.tag_ != "VB" or current.dep_ not in {"xcomp", "advcl"}:
        return None
    if current.dep_ == "xcomp" and head.dep_ == "acomp":
        return head.head  # "was likely to say": the adjective's subject
    if head.pos_ not in {"VERB", "AUX"}:
        return None
    # "prompted Cooper to accuse": the object controls the infinitive, not the subject.
    if any(c.dep_ in {"dobj", "dative"} for c in head.children):
        return None
    return head


def subject_outside_quotes(cue: Token, quotes: list[QuoteSpan]) -> Token | None:
    """The speaker of '“... One of the brightest,” Rep. Cummings said' when the parser
    took quoted words for the subject: the noun phrase between the quote and the cue,
    or right after the cue ('“...,” said James Acton, a physicist').

    Quoted words are never their own speaker, so this is only asked when the parsed
    subject sits inside quote marks.
    """
    doc = cue.doc
    before = [q for q in quotes if q.outer_end <= cue.idx]
    if before:
        start = doc.char_span(before[-1].outer_end, cue.idx, alignment_mode="contract")
        if start is not None and len(start):
            head = _noun_head(list(start))
            if head is not None:
                return head
    after = []
    for token in doc[cue.i + 1 : cue.sent.end]:
        if token.is_punct or token.is_space:
            break
        after.append(token)
    return _noun_head(after)


def _noun_head(tokens: list[Token]) -> Token | None:
    """The token of a run whose head lies outside it, if it names someone."""
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head == t]
    # "... Chief Chuck Jordan said Monday": a date is no speaker.
    nouns = [
        t
        for t in heads
        if t.pos_ in {"PROPN", "NOUN", "PRON"} and t.ent_type_ not in {"DATE", "TIME"}
    ]
    return nouns[0] if len(nouns) == 1 else None


def antecedent(subject: Token) -> Token:
    """What a relative pronoun subject stands for: "Kamin, who emphasized" -> Kamin."""
    if subject.tag_ in {"WP", "WDT"} and subject.head.dep_ == "relcl":
        return subject.head.head
    return subject


def _misattached_coordination(token: Token, lexicon: Lexicon) -> bool:
    if token.dep_ != "conj" or not is_cue(token, lexicon):
        return False
    head = token.head
    if any(c.dep_ == "nsubj" for c in token.children) or is_cue(head, lexicon):
        return False
    return head.dep_ == "ccomp" and is_cue(head.head, lexicon) and same_report(token, head.head)


def _reporter_of_participle(token: Token, lexicon: Lexicon) -> Token | None:
    """ "said the candidate was not contradicting himself, noting that ...": a reporting
    participle after a comma at the end of a reported clause reports for the speaker
    of that clause, though the parser hangs it on the clause's verb. Returns the cue
    whose clause it ends."""
    if token.dep_ != "advcl" or token.tag_ != "VBG" or token.i == 0:
        return None
    if token.doc[token.i - 1].text != "," or not is_cue(token, lexicon):
        return None
    if any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children):
        return None
    current = token.head
    for _ in range(4):
        if is_cue(current, lexicon):
            return None
        if current.dep_ == "ccomp" and current.head.i < current.i:
            return current.head if is_cue(current.head, lexicon) else None
        if current.dep_ not in {"conj", "xcomp", "advcl"}:
            return None
        current = current.head
    return None


def same_report(conjunct: Token, cue: Token) -> bool:
    """Whether a verb coordinated with a reporting verb can be a second report by its
    speaker: "said ... but cautioned that" shares the verb form. "said she was a voter
    and would probably back Trump" does not: a modal, or another verb form, goes on
    with what was said (the back-shifted "would"), whatever the verb."""
    return not has_modal(conjunct) and conjunct.tag_ == cue.tag_


def has_modal(verb: Token) -> bool:
    """ "would continue", "could back": the verb has a modal auxiliary."""
    return any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)


def cue_extent(cue: Token, particles: set[int], lexicon: Lexicon) -> tuple[int, int]:
    """The cue with its auxiliaries, negation and particle: "did not say", "called for".

    Negation changes what the statement reports, so it belongs to the cue's text.
    ``particles`` are further words of the cue right after it (see
    ``complements.cue_particles``). A to-infinitive cue starts at the verb it completes
    ("continued to call for", "was able to praise"), as PolNeAR's cues do (measured on
    PolNeAR train and dev), unless that verb reports the infinitive itself (the
    ``lexicon``'s infinitive verbs: "vowed to ask" is the cue "vowed" and its content).
    """
    doc = cue.doc
    start = _left_edge(cue)
    controller = _infinitive_controller(cue)
    # A controller whose infinitive is what it reports ("vowed not to repeat") is a cue
    # of its own, with this one inside its content.
    if controller is not None and lexicon.lemma(controller) not in lexicon.infinitive_verbs:
        start = _left_edge(controller)
    end = cue.i
    while end + 1 < len(doc) and (
        (doc[end + 1].dep_ == "prt" and doc[end + 1].head == cue) or end + 1 in particles
    ):
        end += 1
    return doc[start].idx, doc[end].idx + len(doc[end].text)


def _left_edge(verb: Token) -> int:
    """The first of the verb's auxiliaries and negation right before it."""
    doc = verb.doc
    start = verb.i
    while (
        start > 0
        and doc[start - 1].dep_ in {"aux", "neg", "auxpass"}
        and (doc[start - 1].head == verb)
    ):
        start -= 1
    return start


def _infinitive_controller(cue: Token) -> Token | None:
    """The verb a to-infinitive cue completes, which belongs to the cue: "continued to
    call for", "went on to explain", "appeared to suggest", "was able to tout"."""
    doc = cue.doc
    to = next((c for c in cue.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if cue.dep_ not in {"xcomp", "advcl"} or to is None or to.i > cue.i:
        return None
    if any(t.dep_ not in {"advmod", "neg"} for t in doc[to.i + 1 : cue.i]):
        return None
    head = cue.head
    if head.i >= to.i or any(
        t.dep_ not in {"advmod", "prt", "neg"} for t in doc[head.i + 1 : to.i]
    ):
        return None
    if head.pos_ == "ADJ" and head.dep_ == "acomp" and head.head.i == head.i - 1:
        return head.head  # "was able to", "has been slow to": the copula and its adjective
    return head if head.pos_ in {"VERB", "AUX"} else None
