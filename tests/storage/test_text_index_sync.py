"""The tantivy index kept in step with the database (migration 0016), on both engines.

Each test runs inside the rolled-back transaction of ``db_session``; the index lives in
the test's own folder, so nothing outlives it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from api.services import text_index_sync
from api.services.text_index_sync import sync_text_index
from api.storage.models import ActorRow, StatementRow, TextIndexQueueRow
from api.storage.text_index import IndexTerm, TextIndexReader, TextIndexWriter
from tests.storage.test_search_index import add_statement


def queued(session: Session) -> dict[int, int]:
    rows = session.execute(select(TextIndexQueueRow.statement_id, TextIndexQueueRow.ticket))
    return {statement_id: ticket for statement_id, ticket in rows}


def found(folder: Path, *words: str) -> list[int]:
    terms = [IndexTerm((word,)) for word in words]
    hits = TextIndexReader(folder).best(terms, (1.0, 0.5, 0.5), 50, 10**9)
    return sorted(statement_id for statement_id, _ in hits)


def sync(session: Session, folder: Path, **options: object) -> text_index_sync.SyncReport:
    session.flush()
    return sync_text_index(session.connection(), folder, **options)  # type: ignore[arg-type]


def test_nothing_is_queued_until_the_index_is_switched_on_then_it_is_built_whole(
    db_session: Session, tmp_path: Path
) -> None:
    first = add_statement(db_session, "The granary stays open.")
    assert queued(db_session) == {}
    report = sync(db_session, tmp_path)
    assert report.built >= 1 and report.applied == 0
    assert found(tmp_path, "granary") == [first.id]
    second = add_statement(db_session, "The granary closes at dusk.")
    assert queued(db_session) == {second.id: 0}
    assert sync(db_session, tmp_path).applied == 1
    assert queued(db_session) == {}
    assert found(tmp_path, "granary") == sorted([first.id, second.id])


def test_edits_deletions_and_renames_reach_the_index(db_session: Session, tmp_path: Path) -> None:
    speaker = ActorRow(key="person:nadia ostrova", name="Nadia Ostrova", kind="person")
    db_session.add(speaker)
    db_session.flush()
    edited = add_statement(db_session, "The harbour stays open.", speaker)
    removed = add_statement(db_session, "The harbour floods.")
    sync(db_session, tmp_path)

    db_session.execute(
        update(StatementRow).where(StatementRow.id == edited.id).values(confidence=0.5)
    )
    assert queued(db_session) == {}  # not a searched column
    db_session.execute(
        update(StatementRow)
        .where(StatementRow.id == edited.id)
        .values(text="The quay stays open.", quotes=[{"start": 4, "end": 8, "text": "quay"}])
    )
    db_session.execute(delete(StatementRow).where(StatementRow.id == removed.id))
    db_session.execute(
        update(ActorRow).where(ActorRow.id == speaker.id).values(name="Nadia Ostrov")
    )
    # The edit and the rename queued the same statement twice.
    assert queued(db_session) == {edited.id: 1, removed.id: 0}

    assert sync(db_session, tmp_path).applied == 2
    assert found(tmp_path, "harbour") == []
    assert found(tmp_path, "quay") == [edited.id]
    assert found(tmp_path, "ostrov") == [edited.id]
    assert found(tmp_path, "ostrova") == []


def test_a_change_made_while_the_queue_is_applied_stays_queued(
    db_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_statement(db_session, "The mill turns.")
    sync(db_session, tmp_path)
    changing = add_statement(db_session, "The mill stops.")

    edits = ["The mill restarts."]

    class ChangedMeanwhile(TextIndexWriter):
        def commit(self) -> None:
            super().commit()
            if edits:  # another writer's edit, between the index's commit and the queue's
                db_session.execute(
                    update(StatementRow)
                    .where(StatementRow.id == changing.id)
                    .values(text=edits.pop())
                )

    monkeypatch.setattr(text_index_sync, "TextIndexWriter", ChangedMeanwhile)
    # The old text was applied, the row stayed queued, and the same pass applied it again.
    assert sync(db_session, tmp_path).applied == 2
    assert queued(db_session) == {}
    assert queued(db_session) == {}
    assert found(tmp_path, "restarts") == [changing.id]


def test_a_lost_folder_is_built_again_and_a_locked_one_left_queued(
    db_session: Session, tmp_path: Path
) -> None:
    kept = add_statement(db_session, "The orchard blooms.")
    sync(db_session, tmp_path / "first")
    report = sync(db_session, tmp_path / "second")  # switched on, but this folder is new
    assert report.built >= 1
    assert found(tmp_path / "second", "orchard") == [kept.id]

    later = add_statement(db_session, "The orchard fruits.")
    holder = TextIndexWriter(tmp_path / "second")
    try:
        assert sync(db_session, tmp_path / "second", wait=0).busy
        assert queued(db_session) == {later.id: 0}
    finally:
        holder.close()
    assert sync(db_session, tmp_path / "second").applied == 1


def test_a_rebuild_drops_what_the_database_no_longer_holds(
    db_session: Session, tmp_path: Path
) -> None:
    stays = add_statement(db_session, "The bridge reopens.")
    sync(db_session, tmp_path)
    stray = TextIndexWriter(tmp_path)
    try:
        stray.remove([stays.id])
        stray.commit()
    finally:
        stray.close()
    assert found(tmp_path, "bridge") == []
    assert sync(db_session, tmp_path, rebuild=True).built >= 1
    assert found(tmp_path, "bridge") == [stays.id]


def test_a_build_reads_a_batch_per_transaction(
    db_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On SQLite a writer's transaction holds the write lock: a build of a large archive
    # must let other writers in between its batches.
    rows = [add_statement(db_session, f"The depot {n} reopens.") for n in range(3)]
    monkeypatch.setattr(text_index_sync, "BUILD_BATCH", 1)
    commits: list[int] = []
    monkeypatch.setattr(
        text_index_sync, "_all_statements", counted(text_index_sync._all_statements, commits)
    )
    assert sync(db_session, tmp_path).built == 3
    assert commits == [1, 2, 3]  # the transactions committed before each batch went in
    assert found(tmp_path, "depot") == sorted(row.id for row in rows)


def counted(batches: Any, commits: list[int]) -> Any:
    """``_all_statements`` that records, at each batch, how many commits came before."""

    def wrapper(session: Session) -> Any:
        done = [0]

        @event.listens_for(session, "after_commit")
        def after_commit(_: Session) -> None:
            done[0] += 1

        for batch in batches(session):
            yield batch
            commits.append(done[0])

    return wrapper
