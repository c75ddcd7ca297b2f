"""An experiment, never shipped: a span model trained on PolNeAR, scored by Metric A.

    python benchmarks/trained_spans.py --polnear ../shared/corpora/polnear \
        --cofenet ../shared/corpora/polnear-cofenet --workdir /work/exp/spans

Why it exists: issue 3 asks, for any target the dependency parse alone cannot reach, what
would close it and to measure that option. This script measures one: a trained span
component (spaCy's transition-based ``ner`` with the labels SOURCE, CUE and CONTENT, on
top of en_core_web_sm's CNN tok2vec, CPU only). The model it trains is never shipped,
never committed and never written inside the repository: PolNeAR's texts are copyrighted
news that came without a data licence (evaluation only), so a model learnt from them
cannot go into the product. Everything it writes goes under ``--workdir``, which must lie
outside the repository.

Steps (each skipped when its output exists, unless ``--force``):

1. convert: PolNeAR ``train`` and ``dev`` (brat standoff), one annotator per article, the
   alphabetically first, read with the evaluation's own reader (``read_split``), cut into
   paragraphs as CofeNet segments them, into spaCy DocBins with the three roles as
   entities (discontinuous contents give one span per fragment; where relations overlap,
   the longest span wins, as spaCy's ``filter_spans`` keeps it);
2. train: ``spacy train benchmarks/trained_spans.cfg`` with ``dev`` as the dev set, one
   thread, capped by ``--max-steps`` (about 40 minutes on one core);
3. score: the project's Metric A (``run_metric_a``, the code behind
   ``statements eval --metric a``) on the CofeNet files of ``--splits``, the rule-based
   extractor ("ours") and the trained model ("trained") side by side; with
   ``--metric-b``, Metric B too (``run_metric_b``), the trained spans linked into
   relations by proximity (a naive linker: see ``TrainedSpans``).

Scores are printed as the tables of ``statements eval`` and written to
``WORKDIR/scores.json``; the model is ``WORKDIR/model/model-best`` (the best on dev).

Run it with ``nice -n 10`` and OMP_NUM_THREADS=MKL_NUM_THREADS=OPENBLAS_NUM_THREADS=1; the
training child process gets those one-thread limits whatever the caller set.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

import msgspec
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from api.evaluation.brat import BratArticle, read_split
from api.evaluation.cofenet import detokenise, read_segments
from api.evaluation.predict import Extractor, ours
from api.evaluation.report import metric_a_table, metric_b_table
from api.evaluation.runner import COFENET_FILES, run_metric_a, run_metric_b
from api.evaluation.spans import CharSpan, Prediction
from api.pipeline.nlp import model_package

REPO = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).with_suffix(".cfg")
LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
ROLE_OF = {label: role for role, label in LABELS.items()}
ONE_THREAD = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
# One character for one: CofeNet's text (after ``detokenise``) has straight quotes and
# apostrophes and no no-break spaces; training on the same characters keeps the hash
# features (prefix, suffix, shape) of quote marks the same at training and test time.
_SAME_LENGTH = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\xa0": " "})
# A content span is required by Prediction; a cue or source predicted alone gets this
# empty one, which overlaps no token and so is never scored as content.
_NO_CONTENT: CharSpan = (0, 0)


def normalise(text: str) -> str:
    """Quote marks and spaces as in CofeNet's text; offsets are unchanged."""
    return text.translate(_SAME_LENGTH)


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Non-empty lines, stripped: CofeNet's segments are the articles' paragraphs."""
    position = 0
    for line in text.split("\n"):
        start = position + len(line) - len(line.lstrip())
        end = position + len(line.rstrip())
        if end > start:
            yield start, end
        position += len(line) + 1


def article_docs(nlp: Language, article: BratArticle, stats: Counter[str]) -> Iterator[Doc]:
    """One Doc per paragraph, with the gold roles as entities."""
    spans: list[tuple[CharSpan, str]] = [
        (fragment, LABELS[role])
        for relation in article.relations
        for role in LABELS
        for fragment in getattr(relation, role)
    ]
    for start, end in paragraphs(article.text):
        doc = nlp.make_doc(normalise(article.text[start:end]))
        entities: list[Span] = []
        for (span_start, span_end), label in spans:
            clipped = max(span_start, start) - start, min(span_end, end) - start
            if clipped[0] >= clipped[1]:
                continue
            span = doc.char_span(*clipped, label=label, alignment_mode="expand")
            span = _trim(span) if span is not None else None
            if span is None:
                stats["unaligned"] += 1
                continue
            if (span_start, span_end) != (clipped[0] + start, clipped[1] + start):
                stats["clipped_at_paragraph"] += 1
            entities.append(span)
        kept = filter_spans(entities)
        stats["spans"] += len(entities)
        stats["dropped_overlapping"] += len(entities) - len(kept)
        stats.update(span.label_ for span in kept)
        doc.ents = kept
        stats["paragraphs"] += 1
        yield doc


def _trim(span: Span) -> Span | None:
    """Without leading or trailing whitespace tokens (an entity may not have them)."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return Span(span.doc, start, end, label=span.label) if end > start else None


def convert(polnear: Path, corpus: Path) -> dict[str, dict[str, int]]:
    corpus.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")  # the same rule-based tokenizer as the trained pipeline
    statistics: dict[str, dict[str, int]] = {}
    for split in ("train", "dev"):
        stats: Counter[str] = Counter()
        docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"], store_user_data=False)
        for article in read_split(polnear, split):
            stats["articles"] += 1
            for doc in article_docs(nlp, article, stats):
                docbin.add(doc)
        docbin.to_disk(corpus / f"{split}.spacy")
        statistics[split] = dict(stats)
        print(f"converted {split}: {dict(stats)}", file=sys.stderr)
    (corpus / "statistics.json").write_text(json.dumps(statistics, indent=2))
    return statistics


def train(corpus: Path, output: Path, max_steps: int) -> float:
    """``spacy train`` in a child process on one thread; returns the wall-clock seconds."""
    command = [
        sys.executable,
        "-m",
        "spacy",
        "train",
        str(CONFIG),
        "--output",
        str(output),
        "--paths.train",
        str(corpus / "train.spacy"),
        "--paths.dev",
        str(corpus / "dev.spacy"),
        "--paths.source_model",
        model_package(),
        "--training.max_steps",
        str(max_steps),
    ]
    print("training:", " ".join(command), file=sys.stderr)
    started = time.perf_counter()
    env = os.environ | {"PYTHONUNBUFFERED": "1"} | dict.fromkeys(ONE_THREAD, "1")
    subprocess.run(command, check=True, env=env)
    seconds = time.perf_counter() - started
    (output / "training_seconds.txt").write_text(f"{seconds:.0f}\n")
    return seconds


class TrainedSpans:
    """The trained model as an ``Extractor`` (the interface of api/evaluation/predict.py).

    The model labels spans, not relations, so spans are linked by proximity within a
    paragraph: each CONTENT takes the nearest CUE, and the SOURCE nearest to that cue
    (else to the content); two CONTENTs with the same cue between them are one
    discontinuous content ("X," he said, "Y"). For Metric A (``standalone=True``), cues
    and sources that no content took are added on their own, beside an empty content
    that overlaps no token: Metric A scores every span per role, whatever its relation.
    For Metric B they are left out, a statement needing a content.

    The model runs once, in batches, over the paragraphs of the distinct texts before
    scoring; the extractor then reads the predictions off by text.
    """

    name = "trained"

    def __init__(
        self, nlp: Language, texts: list[str], *, standalone: bool, batch_size: int = 64
    ) -> None:
        self._nlp = nlp
        self._standalone = standalone
        unique = list(dict.fromkeys(texts))
        pieces = [(text, start, end) for text in unique for start, end in paragraphs(text)]
        docs = nlp.pipe((normalise(t[s:e]) for t, s, e in pieces), batch_size=batch_size)
        self._by_text: dict[str, list[Prediction]] = {text: [] for text in unique}
        for (text, start, _), doc in zip(pieces, docs, strict=True):
            self._by_text[text].extend(self._predictions(doc, start))

    def __call__(self, doc: Doc) -> list[Prediction]:
        found = self._by_text.get(doc.text)
        if found is None:
            found = [
                prediction
                for start, end in paragraphs(doc.text)
                for prediction in self._predictions(
                    self._nlp(normalise(doc.text[start:end])), start
                )
            ]
        return found

    def _predictions(self, doc: Doc, offset: int) -> list[Prediction]:
        spans: dict[str, list[CharSpan]] = {role: [] for role in LABELS}
        for ent in doc.ents:
            spans[ROLE_OF[ent.label_]].append((ent.start_char + offset, ent.end_char + offset))
        predictions = link(spans["content"], spans["cue"], spans["source"])
        if self._standalone:
            cues = {p.cue for p in predictions}
            sources = {p.speaker for p in predictions}
            predictions += [
                Prediction(content=_NO_CONTENT, cue=c) for c in spans["cue"] if c not in cues
            ]
            predictions += [
                Prediction(content=_NO_CONTENT, speaker=s)
                for s in spans["source"]
                if s not in sources
            ]
        return predictions


def _gap(a: CharSpan, b: CharSpan) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _nearest(target: CharSpan, candidates: list[CharSpan]) -> CharSpan | None:
    return min(candidates, key=lambda c: (_gap(target, c), c), default=None)


def link(
    contents: list[CharSpan], cues: list[CharSpan], sources: list[CharSpan]
) -> list[Prediction]:
    """Relations from one paragraph's spans, by proximity (see ``TrainedSpans``)."""
    linked: list[tuple[list[CharSpan], CharSpan | None]] = []
    for content in sorted(contents):
        cue = _nearest(content, cues)
        if linked:
            fragments, previous_cue = linked[-1]
            if cue is not None and cue == previous_cue and fragments[-1][1] <= cue[0] < content[0]:
                fragments.append(content)
                continue
        linked.append(([content], cue))
    predictions = []
    for fragments, cue in linked:
        source = _nearest(cue if cue is not None else fragments[0], sources)
        predictions.append(
            Prediction(
                content=fragments[0], more_content=tuple(fragments[1:]), cue=cue, speaker=source
            )
        )
    return predictions


def score(
    cofenet: Path, polnear: Path, split: str, model: Path, limit: int | None, metric_b: bool
) -> tuple[list[str], dict[str, object]]:
    """Metric A (and B) tables and results, ours and the trained model side by side."""
    nlp = spacy.load(model)
    note = (
        f"trained: spaCy ner (SOURCE/CUE/CONTENT) from {model}, trained on PolNeAR train, "
        "spans linked by proximity; an experiment, never shipped"
    )
    path = cofenet / COFENET_FILES[split]
    texts = [detokenise(s.tokens).text for s in read_segments(path, limit)]
    trained = TrainedSpans(nlp, texts, standalone=True)

    def extractors_a() -> Mapping[str, Extractor]:
        return {"ours": ours, "trained": trained}

    result_a = run_metric_a(cofenet, split, extractors_a, limit=limit, progress=False)
    result_a.notes["trained"] = note
    tables = [metric_a_table(result_a, split)]
    results: dict[str, object] = {"metric_a": msgspec.to_builtins(result_a)}
    if metric_b:
        articles = [a.text for a in read_split(polnear, split, limit)]
        linked = TrainedSpans(nlp, articles, standalone=False)

        def extractors_b() -> Mapping[str, Extractor]:
            return {"ours": ours, "trained": linked}

        result_b = run_metric_b(polnear, split, extractors_b, limit=limit, progress=False)
        result_b.notes["trained"] = note
        tables.append(metric_b_table(result_b, split))
        results["metric_b"] = msgspec.to_builtins(result_b)
    return tables, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, required=True)
    parser.add_argument("--cofenet", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True, help="outside the repo")
    parser.add_argument("--splits", nargs="+", default=["dev", "test"], choices=COFENET_FILES)
    parser.add_argument("--max-steps", type=int, default=6000)
    parser.add_argument("--limit", type=int, default=None, help="score the first N segments")
    parser.add_argument("--force", action="store_true", help="convert and train again")
    parser.add_argument(
        "--metric-b", action="store_true", help="also Metric B (article level, linked spans)"
    )
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    if workdir == REPO or REPO in workdir.parents:
        parser.error("--workdir must lie outside the repository (PolNeAR has no licence)")
    corpus, output = workdir / "corpus", workdir / "model"
    if args.force or not (corpus / "dev.spacy").exists():
        convert(args.polnear, corpus)
    if args.force or not (output / "model-best").exists():
        seconds = train(corpus, output, args.max_steps)
        print(f"trained in {seconds / 60:.1f} min", file=sys.stderr)
    if "test" in args.splits:
        print(
            "reminder: test is for the final figure only; nothing is tuned on it", file=sys.stderr
        )
    report: dict[str, object] = {}
    for split in args.splits:
        model = output / "model-best"
        tables, result = score(args.cofenet, args.polnear, split, model, args.limit, args.metric_b)
        for table in tables:
            print(table + "\n", flush=True)
        report[split] = result
    (workdir / "scores.json").write_text(json.dumps(report, indent=2))
    print(f"wrote {workdir / 'scores.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
