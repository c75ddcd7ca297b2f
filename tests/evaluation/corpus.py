"""A tiny invented corpus in both formats, written to a temporary folder by the tests."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLE = (
    "Bridge to reopen\n\n"
    "“We will reopen the bridge in May,” Mayor Ana Ruiz said on Monday.\n\n"
    "Engineers said that the repairs were finished, and the council agreed.\n"
)


def span(phrase: str, text: str = ARTICLE) -> str:
    start = text.index(phrase)
    return f"{start} {start + len(phrase)}"


def write_polnear(root: Path, split: str = "dev") -> Path:
    """Two articles; the first has two annotators, of which ``a111`` is read."""
    (root / split / "text").mkdir(parents=True)
    (root / split / "attributions").mkdir(parents=True)
    for name in ("news_2020-01-01_bridge", "news_2020-01-02_other"):
        (root / split / "text" / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
    quote = "“We will reopen the bridge in May,”"
    said = ARTICLE.index("said on")
    engineers_said = ARTICLE.index("said that")
    first = "\n".join(
        [
            f"T1\tContent {span(quote)}\t{quote}",
            f"T2\tSource {span('Mayor Ana Ruiz')}\tMayor Ana Ruiz",
            f"T3\tCue {said} {said + 4}\tsaid",
            f"T4\tAttribution {said} {said + 4}\tsaid",
            "E1\tAttribution:T4 Source:T2 Cue:T3 Content:T1",
            f"T5\tSource {span('Engineers')}\tEngineers",
            f"T6\tCue {engineers_said} {engineers_said + 4}\tsaid",
            f"T7\tContent {span('that the repairs')};{span('were finished')}\tthat the repairs"
            " were finished",
            f"T8\tAttribution {engineers_said} {engineers_said + 4}\tsaid",
            "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
            "#1\tAnnotatorNotes T7\tsplit on purpose",
            "",
        ]
    )
    attributions = root / split / "attributions"
    (attributions / "news_2020-01-01_bridge_a111.ann").write_text(first, encoding="utf-8")
    (attributions / "news_2020-01-01_bridge_b222.ann").write_text("", encoding="utf-8")
    (attributions / "news_2020-01-02_other_c333.ann").write_text("", encoding="utf-8")
    return root


def write_cofenet(folder: Path, name: str = "valid.txt") -> Path:
    tokens = ["``", "We", "will", "reopen", "it", ",", "''", "Ana", "Ruiz", "said", "."]
    labels = ["B-content"] + ["I-content"] * 6 + ["B-source", "I-source", "B-cue", "O"]
    rows = [
        {"tokens": tokens, "labels": labels, "id": "news_2020-01-01_bridge_a111"},
        {"tokens": ["It", "rained", "."], "labels": ["O"] * 3, "id": "news_x_a111"},
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path
