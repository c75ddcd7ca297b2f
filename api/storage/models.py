"""SQLAlchemy 2 typed models. The schema itself is owned by the Alembic migrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names keep autogenerate and hand-written migrations in agreement
# on both SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SourceRow(Base):
    """An outlet that publishes articles, or an agency credited upstream."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))


class IngestionRunRow(Base):
    __tablename__ = "ingestion_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    ingested: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class ArticleRow(Base):
    """One version of an article. A changed text at the same URL is a new row, the next
    ``version``, pointing back at the one it revises; statements belong to a version."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("url", "version", name="uq_articles_url_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    url: Mapped[str | None] = mapped_column(String(2000), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    previous_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    # A near-duplicate (syndicated) copy points at the article it copies and carries no
    # statements of its own.
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    duplicate_similarity: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(String(1000))
    title_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    outlet_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    published_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    # MinHash signature of the text (api/pipeline/near_duplicates.py).
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    origin: Mapped[str | None] = mapped_column(String(2000))
    ingestion_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingestion_runs.id", ondelete="SET NULL")
    )
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    source: Mapped[SourceRow | None] = relationship(lazy="joined")


class ArticleBandRow(Base):
    """One LSH band key of an article's MinHash: articles sharing a key are candidates."""

    __tablename__ = "article_bands"

    band_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ActorRow(Base):
    """A canonical speaker: a person, organisation, government, document, group or outlet."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    wikidata_id: Mapped[str | None] = mapped_column(String(20))

    aliases: Mapped[list[ActorAliasRow]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", lazy="selectin"
    )


class ActorAliasRow(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "key", name="uq_actor_aliases_actor_id_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)

    actor: Mapped[ActorRow] = relationship(back_populates="aliases")


class StatementRow(Base):
    __tablename__ = "statements"
    __table_args__ = (
        Index("ix_statements_article_id_content_start", "article_id", "content_start"),
        # An actor's statements in id order, a page at a time (migration 0009).
        Index("ix_statements_speaker_id_id", "speaker_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(Text)
    content_start: Mapped[int] = mapped_column(Integer)
    content_end: Mapped[int] = mapped_column(Integer)
    # Verbatim quoted fragments: [{"start": int, "end": int, "text": str}, ...]
    quotes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    cue_text: Mapped[str | None] = mapped_column(String(200))
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    speaker_text: Mapped[str | None] = mapped_column(String(500))
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    speaker_role: Mapped[str | None] = mapped_column(String(300))
    confidence: Mapped[float] = mapped_column(Float)
    statement_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # True when the statement is dated by its article's publication; False when the text
    # says when it was made ("on Tuesday"), kept verbatim in date_text.
    date_inferred: Mapped[bool] = mapped_column(Boolean, default=True)
    date_text: Mapped[str | None] = mapped_column(String(100))

    article: Mapped[ArticleRow] = relationship(lazy="joined")
    speaker: Mapped[ActorRow | None] = relationship(lazy="joined")
    credits: Mapped[list[StatementCreditRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class StatementCreditRow(Base):
    """An upstream source the article credits for a statement ("according to Reuters")."""

    __tablename__ = "statement_credits"

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )

    source: Mapped[SourceRow] = relationship(lazy="joined")


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    speaker: Mapped[ActorRow | None] = relationship(lazy="joined")


class ClaimStatementRow(Base):
    __tablename__ = "claim_statements"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    # A statement supports at most one claim.
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True, unique=True
    )


class ApiKeyRow(Base):
    """An API key: only a hash of its secret is stored; ``prefix`` finds the row."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class IngestJobRow(Base):
    """An article submitted to the API, waiting for (or done by) ``statements worker``.

    A worker takes a job by setting a lease; a worker that dies leaves the lease to
    expire and the next worker takes the job again. The job is marked done in the same
    transaction that stores its article.
    """

    __tablename__ = "ingest_jobs"
    __table_args__ = (Index("ix_ingest_jobs_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # queued -> running -> done | failed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    # The submitted record: text or html, url, outlet, title, published.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # ingested | unchanged | duplicate | new_version, once done.
    outcome: Mapped[str | None] = mapped_column(String(20))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    statement_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class WebhookDeliveryRow(Base):
    """A notice to one webhook URL, written with the statements it announces (an outbox)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(50))
    url: Mapped[str] = mapped_column(String(2000))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    # pending -> delivered | failed (gave up, or the receiver rejected it)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)


class ClaimRelationRow(Base):
    """How a later text treated a claim: dropped it, softened it or contradicted it.

    ``claim_id`` is the earlier claim and ``statement_id`` the statement showing it;
    ``later_article_id`` is the later text; for softened and contradicted,
    ``later_claim_id`` and ``later_statement_id`` show what the later text says instead.
    For dropped they are the statement that reports the omission, when the later article
    reports it and the extractor found a statement there. ``evidence_start`` and
    ``evidence_end`` are offsets into the later article's text of the words that show
    the change (the sentence reporting it), when there are such words: a text that
    dropped a claim has no statement of it to point at. Found by api/pipeline/relations.py.
    """

    __tablename__ = "claim_relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    later_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    later_claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )
    later_statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CorrectionRow(Base):
    """An editor's correction, kept by stable keys so that it survives re-ingestion.

    - ``merge_actors``: the actor ``actor_key`` is the actor ``target_key``;
    - ``split_alias``: the alias ``alias_key`` of ``actor_key`` is the actor ``target_key``;
    - ``reassign_speaker``: the statement at ``content_start``-``content_end`` of the
      article text hashed ``article_hash`` was said by ``target_key`` (None: no speaker).

    ``target_name`` names the target actor should it have to be created again (in a
    rebuilt database) and ``alias`` is a split alias as written. ``actor_id`` is the id
    a merged actor had in this database, so that its URL can point to the actor it
    became (ids do not travel: an imported correction has none).
    """

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_kind_actor_key", "kind", "actor_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor_key: Mapped[str | None] = mapped_column(String(300))
    alias_key: Mapped[str | None] = mapped_column(String(300))
    target_key: Mapped[str | None] = mapped_column(String(300))
    target_name: Mapped[str | None] = mapped_column(String(300))
    alias: Mapped[str | None] = mapped_column(String(300))
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    article_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    content_start: Mapped[int | None] = mapped_column(Integer)
    content_end: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ClaimKeyRow(Base):
    """One index key of a statement (api/pipeline/claims.py ``claim_keys``): statements
    sharing a key are the candidates a new statement is compared with, so that finding
    its claim does not read the whole corpus."""

    __tablename__ = "claim_keys"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DataVersionRow(Base):
    """The one row whose ``version`` triggers move forward on every change to a table
    the API serves (migration 0007): cached responses hold only while it stands still."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class ClaimMergeRow(Base):
    """A claim merged into another when a later statement matched both (migration 0008):
    the merged id keeps answering by naming the claim it became."""

    __tablename__ = "claim_merges"

    claim_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # no longer a claim
    into_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ClaimRematchRow(Base):
    """A statement whose claim must be found again because an editor changed its speaker
    (an outbox, migration 0010): the correction writes the row in its own transaction,
    the pipeline's matcher (api/pipeline/claim_rematch.py) drains it. ``claim_id`` is the
    claim the statement was in before the correction; no foreign key, since that claim
    may be merged away before the row is drained."""

    __tablename__ = "claim_rematches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    claim_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class NarrationSentenceRow(Base):
    """A sentence of an article that is no part of any statement: the outlet's own
    narration, which may state a claim others attribute (migration 0011). Kept with its
    index keys so that a claim formed later still finds it."""

    __tablename__ = "narration_sentences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class NarrationKeyRow(Base):
    """One index key of a narration sentence (the same keys as ``claim_keys``)."""

    __tablename__ = "narration_keys"

    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("narration_sentences.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ClaimMentionRow(Base):
    """A narration sentence that states a claim: ``statement_id`` is the claim's statement
    it matches best, through which the mention follows the claim when claims are merged
    or split (api/pipeline/claim_mentions.py)."""

    __tablename__ = "claim_mentions"
    __table_args__ = (UniqueConstraint("sentence_id", "statement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sentence_id: Mapped[int] = mapped_column(
        ForeignKey("narration_sentences.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class StatementDocumentRow(Base):
    """A statement's API JSON, encoded once (migration 0013): served as stored bytes
    while ``body`` is set; triggers set it back to NULL when anything it is rendered from
    changes, and writers render the NULL ones before they commit."""

    __tablename__ = "statement_documents"
    __table_args__ = (
        Index(
            "ix_statement_documents_stale",
            "statement_id",
            sqlite_where=sql_text("body IS NULL"),
            postgresql_where=sql_text("body IS NULL"),
        ),
    )

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[bytes | None] = mapped_column(LargeBinary)


class ProvenanceDocumentRow(Base):
    """A claim's provenance JSON, encoded once (migration 0014), like a statement's
    document: triggers set ``body`` back to NULL when anything it shows changes."""

    __tablename__ = "provenance_documents"
    __table_args__ = (
        Index(
            "ix_provenance_documents_stale",
            "claim_id",
            sqlite_where=sql_text("body IS NULL"),
            postgresql_where=sql_text("body IS NULL"),
        ),
    )

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[bytes | None] = mapped_column(LargeBinary)


class SpeakerPageDocumentRow(Base):
    """The first page of an actor's statements (migration 0017): their stored documents
    as one JSON array, rendered for ``page_size`` statements. Triggers set ``body`` back
    to NULL when a statement on the page (or, for a page that holds them all, any of the
    actor's statements) is added, moved, removed or re-rendered."""

    __tablename__ = "speaker_page_documents"
    __table_args__ = (
        Index(
            "ix_speaker_page_documents_stale",
            "speaker_id",
            sqlite_where=sql_text("body IS NULL"),
            postgresql_where=sql_text("body IS NULL"),
        ),
    )

    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    page_size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The id of the page's last statement, and whether the actor has more after it.
    last_id: Mapped[int | None] = mapped_column(Integer)
    has_more: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ProvenanceDependencyRow(Base):
    """An article a claim's provenance document was rendered from: a change there sets
    the document NULL (no foreign key to the article: see migration 0014)."""

    __tablename__ = "provenance_dependencies"

    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TextIndexStateRow(Base):
    """Present (one row, id 1) while the tantivy search index is kept (migration 0016):
    from then on, triggers queue every statement whose searchable text changes."""

    __tablename__ = "text_index_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    switched_on_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TextIndexQueueRow(Base):
    """A statement the tantivy index has still to take in (or drop); ``ticket`` counts
    how often it was queued, so a change made while it was being applied stays."""

    __tablename__ = "text_index_queue"

    statement_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ticket: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
