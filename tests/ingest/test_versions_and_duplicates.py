"""Article identity end to end: versions at one URL, exact repeats, syndicated copies.

api/pipeline/identity.py decides where an article belongs: the same URL with the same
text is a no-op, with a changed text the next version; a text with no URL already stored
is unchanged; a text close to a stored one (MinHash) is a copy pointing at its original
and carries no statements of its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.pipeline import near_duplicates
from api.pipeline.run import RunReport, ingest_paths
from api.storage.models import ArticleBandRow, ArticleRow, StatementRow

pytestmark = pytest.mark.nlp

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SUMMIT = "https://example.org/news/summit"
NEW_QUOTE = "We will not back down"
# A paragraph a revised version of the summit story gains: one more direct quote.
ADDED_PARAGRAPH = (
    # (Its first sentence reports nothing: "rejected the criticism" would be a stance.)
    "Late on Wednesday the foreign minister arrived in Kyiv for talks on the plan. "
    f'"{NEW_QUOTE}," the minister said.'
)


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def ingest_records(session: Session, path: Path, records: list[dict[str, Any]]) -> RunReport:
    """Write ``records`` as an NDJSON file at ``path`` and ingest it."""
    path.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
        encoding="utf-8",
    )
    return ingest_paths(session, [path], progress=False)


def outcome(report: RunReport) -> dict[str, int]:
    return {
        "ingested": report.ingested,
        "unchanged": report.unchanged,
        "failed": report.failed,
        "new_versions": report.new_versions,
        "duplicates": report.duplicates,
    }


def counts(
    ingested: int = 0,
    unchanged: int = 0,
    failed: int = 0,
    new_versions: int = 0,
    duplicates: int = 0,
) -> dict[str, int]:
    return {
        "ingested": ingested,
        "unchanged": unchanged,
        "failed": failed,
        "new_versions": new_versions,
        "duplicates": duplicates,
    }


def versions_at(session: Session, url: str) -> list[ArticleRow]:
    query = select(ArticleRow).where(ArticleRow.url == url).order_by(ArticleRow.version)
    return list(session.scalars(query))


def statements_of(session: Session, article_id: int) -> list[StatementRow]:
    return list(
        session.scalars(
            select(StatementRow)
            .where(StatementRow.article_id == article_id)
            .order_by(StatementRow.id)
        )
    )


def article_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleRow)) or 0


def band_count(session: Session, article_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(ArticleBandRow)
            .where(ArticleBandRow.article_id == article_id)
        )
        or 0
    )


# --- versions ---------------------------------------------------------------------------


def test_a_changed_text_at_the_same_url_is_the_next_version(
    db_session: Session, tmp_path: Path
) -> None:
    v1_text = seed_text("003_fb0bc581b9d15f48.txt")
    v2_text = v1_text.rstrip() + "\n\n" + ADDED_PARAGRAPH + "\n"

    # Version 1 arrives from a newsletter link: the tracking parameter is not the URL.
    first = ingest_records(
        db_session,
        tmp_path / "v1.ndjson",
        [{"url": f"{SUMMIT}?utm_source=newsletter", "outlet": "Example News", "text": v1_text}],
    )
    assert outcome(first) == counts(ingested=1)
    (v1,) = versions_at(db_session, SUMMIT)
    assert (v1.version, v1.previous_version_id, v1.duplicate_of_id) == (1, None, None)
    v1_statements = statements_of(db_session, v1.id)
    assert v1_statements and first.statements == len(v1_statements)
    assert not any(NEW_QUOTE in s.text for s in v1_statements)
    v1_ids = [s.id for s in v1_statements]
    assert band_count(db_session, v1.id) == near_duplicates.BANDS

    # Version 2: the same page, now reached without the tracking parameter, with a quote added.
    second = ingest_records(
        db_session,
        tmp_path / "v2.ndjson",
        [{"url": SUMMIT, "outlet": "Example News", "text": v2_text}],
    )
    assert outcome(second) == counts(ingested=1, new_versions=1)
    assert article_count(db_session) == 2
    stored_v1, v2 = versions_at(db_session, SUMMIT)
    assert stored_v1.id == v1.id
    assert (v2.version, v2.previous_version_id, v2.duplicate_of_id) == (2, v1.id, None)
    assert v2.content_hash != v1.content_hash
    assert NEW_QUOTE in v2.text and NEW_QUOTE not in v1.text
    # Version 1 keeps its statements; version 2 has its own, the new quote among them.
    assert [s.id for s in statements_of(db_session, v1.id)] == v1_ids
    v2_statements = statements_of(db_session, v2.id)
    assert second.statements == len(v2_statements) == len(v1_statements) + 1
    assert not {s.id for s in v2_statements} & set(v1_ids)
    new_quote = [s for s in v2_statements if s.text == NEW_QUOTE]
    assert len(new_quote) == 1
    assert new_quote[0].kind == "direct"
    assert new_quote[0].speaker_text == "the minister"
    for statement in v2_statements:  # offsets point into the version's own text
        assert v2.text[statement.content_start : statement.content_end] == statement.text
    # The superseded version is no longer an original that copies could point at.
    assert band_count(db_session, v1.id) == 0
    assert band_count(db_session, v2.id) == near_duplicates.BANDS

    # The latest text again, under yet another tracking parameter: nothing to do.
    again = ingest_records(
        db_session,
        tmp_path / "v2-again.ndjson",
        [{"url": f"{SUMMIT}?utm_campaign=morning", "outlet": "Example News", "text": v2_text}],
    )
    assert outcome(again) == counts(unchanged=1)
    assert again.statements == 0
    assert article_count(db_session) == 2

    # The old text again (the page was reverted): it differs from the latest version, so by
    # identity.py's rule ("same URL, changed text: the next version") it is version 3, with
    # statements of its own, and version 1 stays as it was.
    reverted = ingest_records(
        db_session,
        tmp_path / "v1-again.ndjson",
        [{"url": SUMMIT, "outlet": "Example News", "text": v1_text}],
    )
    assert outcome(reverted) == counts(ingested=1, new_versions=1)
    rows = versions_at(db_session, SUMMIT)
    assert [row.version for row in rows] == [1, 2, 3]
    v3 = rows[2]
    assert (v3.previous_version_id, v3.duplicate_of_id) == (v2.id, None)
    assert (v3.text, v3.content_hash) == (v1.text, v1.content_hash)
    v3_statements = statements_of(db_session, v3.id)
    assert [s.text for s in v3_statements] == [s.text for s in v1_statements]
    assert reverted.statements == len(v3_statements)
    assert [s.id for s in statements_of(db_session, v1.id)] == v1_ids
    assert len(statements_of(db_session, v2.id)) == len(v2_statements)
    assert band_count(db_session, v2.id) == 0
    assert band_count(db_session, v3.id) == near_duplicates.BANDS


def test_two_versions_in_one_batch_are_stored_in_order(db_session: Session, tmp_path: Path) -> None:
    v1_text = seed_text("003_fb0bc581b9d15f48.txt")
    v2_text = v1_text.rstrip() + "\n\n" + ADDED_PARAGRAPH + "\n"
    report = ingest_records(
        db_session,
        tmp_path / "both.ndjson",
        [
            {"url": f"{SUMMIT}?utm_source=newsletter", "text": v1_text},
            {"url": SUMMIT, "text": v2_text},
            {"url": f"{SUMMIT}#comments", "text": v2_text},  # same page, same text: a repeat
        ],
    )
    assert outcome(report) == counts(ingested=2, unchanged=1, new_versions=1)
    v1, v2 = versions_at(db_session, SUMMIT)
    assert (v1.version, v2.version, v2.previous_version_id) == (1, 2, v1.id)
    assert NEW_QUOTE in {s.text for s in statements_of(db_session, v2.id)}
    assert NEW_QUOTE not in {s.text for s in statements_of(db_session, v1.id)}


def test_a_page_reverted_within_one_batch_gets_the_same_history_as_across_runs(
    db_session: Session, tmp_path: Path
) -> None:
    v1_text = seed_text("003_fb0bc581b9d15f48.txt")
    v2_text = v1_text.rstrip() + "\n\n" + ADDED_PARAGRAPH + "\n"
    report = ingest_records(
        db_session,
        tmp_path / "snapshots.ndjson",
        [{"url": SUMMIT, "text": text} for text in (v1_text, v2_text, v1_text)],
    )
    assert report.failed == 0
    rows = versions_at(db_session, SUMMIT)
    assert rows[-1].text == rows[0].text  # the page as last seen is its latest version
    assert [row.version for row in rows] == [1, 2, 3]
    assert outcome(report) == counts(ingested=3, new_versions=2)


# --- exact repeats ----------------------------------------------------------------------


def test_the_same_text_without_a_url_is_unchanged(db_session: Session, tmp_path: Path) -> None:
    text = seed_text("001_b16eecb884c7e125.txt")
    record = {"outlet": "Example News", "text": text}
    first = ingest_records(db_session, tmp_path / "twice.ndjson", [record, record])
    assert outcome(first) == counts(ingested=1, unchanged=1)
    assert first.statements > 0
    stored = db_session.scalars(select(ArticleRow)).all()
    assert len(stored) == 1
    assert (stored[0].url, stored[0].version, stored[0].duplicate_of_id) == (None, 1, None)
    statements = len(statements_of(db_session, stored[0].id))

    # In a later run, with different metadata: still the same article, still a no-op.
    second = ingest_records(
        db_session, tmp_path / "later.ndjson", [{"outlet": "Another Outlet", "text": text}]
    )
    assert outcome(second) == counts(unchanged=1)
    assert article_count(db_session) == 1
    assert len(statements_of(db_session, stored[0].id)) == statements


def test_the_same_text_under_another_url_is_an_exact_duplicate(
    db_session: Session, tmp_path: Path
) -> None:
    text = seed_text("001_b16eecb884c7e125.txt")
    first_url = "https://first.example.org/world/ceasefire-force"
    second_url = "https://second.example.net/2026/01/06/ceasefire-force"
    report = ingest_records(
        db_session,
        tmp_path / "two-urls.ndjson",
        [
            {"url": first_url, "outlet": "First Outlet", "text": text},
            {"url": second_url, "outlet": "Second Outlet", "text": text},
        ],
    )
    assert outcome(report) == counts(ingested=2, duplicates=1)
    (original,) = versions_at(db_session, first_url)
    (copy,) = versions_at(db_session, second_url)
    assert original.duplicate_of_id is None and original.duplicate_similarity is None
    assert copy.duplicate_of_id == original.id
    assert copy.duplicate_similarity == 1.0
    assert (copy.version, copy.previous_version_id) == (1, None)
    assert copy.source is not None and copy.source.name == "Second Outlet"
    original_statements = statements_of(db_session, original.id)
    assert original_statements
    assert statements_of(db_session, copy.id) == []
    assert report.statements == len(original_statements)
    assert band_count(db_session, copy.id) == 0  # a copy is never anyone's original


# --- syndicated copies ------------------------------------------------------------------

WIRE_SEED = "002_6abd8a862fe6f02b.txt"
ORIGINAL_URL = "https://clashreport.example.com/europe/allies-set-force"
COPY_URL = "https://northwire.example.net/world/allies-agree-force-ukraine"
THIRD_URL = "https://courier.example.org/2026/01/07/ukraine-force"


def syndicated(headline: str, dateline: str, footer: str) -> str:
    """The wire story as another outlet ran it: its own headline, dateline and credit
    footer, and a few words edited."""
    text = seed_text(WIRE_SEED)
    edits = [
        ("European Allies Set Post-Ceasefire Force for Ukraine", headline),
        ("January 07, 2026Clash Report", dateline),
        ("balancing act", "careful balance"),
        ("largest meeting yet", "biggest meeting yet"),
        ("signaled conditional openness", "signalled conditional openness"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return f"{text.rstrip()}\n\n{footer}\n"


COPY_TEXT = syndicated(
    "Allies agree force for Ukraine, to deploy only after a truce",
    "PARIS, Jan 6 (Northwire) -",
    "Reporting by Anna Kowalski in Paris; Editing by Mark Brennan",
)
# The copy re-run by a third outlet: far closer to the copy than to the original, so it
# would point at the copy if copies were ever candidates.
THIRD_TEXT = COPY_TEXT.replace(
    "Reporting by Anna Kowalski in Paris; Editing by Mark Brennan",
    "Reporting by Anna Kowalski in Paris; additional reporting by Olena Melnyk in Kyiv; "
    "Editing by Jo Smith",
)


def test_a_syndicated_copy_points_at_the_original_and_has_no_statements(
    db_session: Session, tmp_path: Path
) -> None:
    first = ingest_records(
        db_session,
        tmp_path / "original.ndjson",
        [{"url": ORIGINAL_URL, "outlet": "Clash Report", "text": seed_text(WIRE_SEED)}],
    )
    assert outcome(first) == counts(ingested=1)
    (original,) = versions_at(db_session, ORIGINAL_URL)
    original_statements = statements_of(db_session, original.id)
    assert len(original_statements) >= 10

    second = ingest_records(
        db_session,
        tmp_path / "copy.ndjson",
        [{"url": COPY_URL, "outlet": "Northwire", "text": COPY_TEXT}],
    )
    assert outcome(second) == counts(ingested=1, duplicates=1)
    assert second.statements == 0
    (copy,) = versions_at(db_session, COPY_URL)
    assert copy.text != original.text
    assert copy.duplicate_of_id == original.id
    assert copy.duplicate_similarity is not None
    assert near_duplicates.DUPLICATE_THRESHOLD <= copy.duplicate_similarity < 1.0
    assert copy.duplicate_similarity >= 0.7
    assert statements_of(db_session, copy.id) == []
    assert copy.source is not None and copy.source.name == "Northwire"
    assert band_count(db_session, copy.id) == 0
    # The original is untouched by its copy.
    assert [s.id for s in statements_of(db_session, original.id)] == [
        s.id for s in original_statements
    ]

    third = ingest_records(
        db_session,
        tmp_path / "third.ndjson",
        [{"url": THIRD_URL, "outlet": "Daily Courier", "text": THIRD_TEXT}],
    )
    assert outcome(third) == counts(ingested=1, duplicates=1)
    (third_copy,) = versions_at(db_session, THIRD_URL)
    assert third_copy.duplicate_of_id == original.id  # the original, not the first copy
    assert third_copy.duplicate_similarity is not None
    assert third_copy.duplicate_similarity >= near_duplicates.DUPLICATE_THRESHOLD
    assert third_copy.minhash is not None and copy.minhash is not None
    closer_to_copy = near_duplicates.similarity(third_copy.minhash, copy.minhash)
    assert closer_to_copy > third_copy.duplicate_similarity
    assert statements_of(db_session, third_copy.id) == []
    assert article_count(db_session) == 3


def test_the_five_seeds_are_not_each_others_copies(
    ingested: RunReport, db_session: Session
) -> None:
    assert outcome(ingested) == counts(ingested=5)
    rows = db_session.scalars(select(ArticleRow)).all()
    assert len(rows) == 5
    assert all(row.duplicate_of_id is None and row.duplicate_similarity is None for row in rows)
    assert all(band_count(db_session, row.id) == near_duplicates.BANDS for row in rows)
    assert all(statements_of(db_session, row.id) for row in rows)


def test_a_revised_syndicated_copy_is_still_a_copy(db_session: Session, tmp_path: Path) -> None:
    revised = COPY_TEXT.replace("Editing by Mark Brennan", "Editing by Mark Brennan and Sue Li")
    report = ingest_records(
        db_session,
        tmp_path / "copies.ndjson",
        [
            {"url": ORIGINAL_URL, "outlet": "Clash Report", "text": seed_text(WIRE_SEED)},
            {"url": COPY_URL, "outlet": "Northwire", "text": COPY_TEXT},
            {"url": COPY_URL, "outlet": "Northwire", "text": revised},
        ],
    )
    assert (report.ingested, report.new_versions, report.failed) == (3, 1, 0)
    (original,) = versions_at(db_session, ORIGINAL_URL)
    v1, v2 = versions_at(db_session, COPY_URL)
    assert v1.duplicate_of_id == original.id
    assert (v2.version, v2.previous_version_id) == (2, v1.id)
    # Still the same wire story as the original: it must not double its statements.
    assert v2.duplicate_of_id == original.id
    assert statements_of(db_session, v2.id) == []
    assert report.statements == len(statements_of(db_session, original.id))
