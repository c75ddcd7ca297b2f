"""Relations between claims, found at ingestion: a later text dropped, softened or
contradicted what an earlier one said (rows of ``claim_relations``).

Called by api/pipeline/ingest_article.py once an article's statements and claims are
stored, inside the same transaction. Each rule looks both ways, so the result does not
depend on which article arrives first:

1. **Reported change.** A sentence names an earlier draft and says something of it was
   dropped or softened ("language in an earlier draft committing Washington to ... did
   not appear in the final communique"); the draft statement it describes (a statement
   whose speaker is a draft, shared content words, api/pipeline/relation_text.py) is the
   earlier claim. ``evidence_*`` are the sentence's offsets in the later article, and the
   statement extracted from that sentence, if any, is ``later_statement_id``.
2. **Compared statements.** The same speaker later, or a final document (declaration,
   communique, statement) after a draft, says the same thing with a weaker marker
   ("will" -> "could", "guarantee" -> "support": softened) or the opposite polarity
   (contradicted). Documents only meet documents this way: "the draft" is one actor for
   every draft in the corpus, so the same-speaker rule leaves documents and anonymous
   groups out.
3. **Revision.** A new version of an article (same URL) that no longer carries a statement
   of the previous version, not even in other words, dropped it; one that carries it more
   weakly softened it (rule 2 on the pair).

Only articles published within ``WINDOW_DAYS`` of each other (or undated) are compared
(api/pipeline/relation_facts.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

import msgspec
from rapidfuzz import fuzz
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.pipeline.relation_facts import (
    StatementFacts,
    facts_of_rows,
    in_window,
    neighbours,
)
from api.pipeline.relation_text import (
    ChangeReport,
    Features,
    change_reports,
    compare,
    features,
    report_match,
    same_topic,
)
from api.storage.models import (
    ArticleRow,
    ClaimRelationRow,
    ClaimStatementRow,
    StatementRow,
)

# A statement whose draft-ness is inferred (a "document" or "text" speaker in an article
# whose other document statements are drafts) counts a little less.
INFERRED_DRAFT_FACTOR = 0.9
# The wording of a previous version's statement still found this close in the new
# version's text (rapidfuzz partial ratio) was kept, whatever the extractor made of it.
KEPT_WORDING_RATIO = 90.0
REVISION_CONFIDENCE = 0.9
_DRAFT = re.compile(r"\bdrafts?\b", re.IGNORECASE)
# Speakers whose actor stands for unrelated statements ("the draft", "officials"): never
# "the same speaker" of two statements.
_GENERIC_KINDS = frozenset({"document", "group"})


class _Statement(msgspec.Struct, kw_only=True):
    row: StatementFacts
    claim_id: int | None
    features: Features
    draft: bool = False
    draft_inferred: bool = False

    @property
    def published(self) -> dt.date | None:
        return self.row.published

    @property
    def said(self) -> dt.date | None:
        return self.row.statement_date or self.published

    @property
    def document(self) -> bool:
        return self.row.speaker_kind == "document"


def record_relations(
    session: Session, article: ArticleRow, statements: Sequence[StatementRow]
) -> list[ClaimRelationRow]:
    """Add (no commit) the relations ``article`` takes part in; returns the new rows."""
    if article.duplicate_of_id is not None:
        return []  # a copy carries the original's statements, already related
    own = _wrap(session, facts_of_rows(statements))
    speakers = {s.row.speaker_id for s in own if s.row.speaker_id is not None}
    others = _wrap(session, neighbours(session, article, speakers))
    _mark_drafts([*own, *others])
    rows = _Rows()
    _reported_in(article, own, [*own, *others], rows)
    _reported_elsewhere(session, article, [s for s in own if s.draft], rows)
    _compared(own, others, rows)
    if article.previous_version_id is not None:
        _revised(session, article, own, rows)
    session.add_all(rows.added)
    session.flush()
    return rows.added


class _Rows:
    """Rows found so far: one per (kind, earlier statement, later text, later statement)."""

    def __init__(self) -> None:
        self.added: list[ClaimRelationRow] = []
        self._keys: set[tuple[object, ...]] = set()

    def add(self, row: ClaimRelationRow) -> None:
        key = (row.kind, row.statement_id, row.later_article_id, row.later_statement_id)
        # A statement without a claim (none yet: claims are formed as statements are
        # stored) cannot be related.
        if row.claim_id is not None and key not in self._keys:
            self._keys.add(key)
            self.added.append(row)


def _wrap(session: Session, rows: Iterable[StatementFacts]) -> list[_Statement]:
    listed = list(rows)
    claims: dict[int, int] = {}
    if listed:
        result = session.execute(
            select(ClaimStatementRow.statement_id, ClaimStatementRow.claim_id).where(
                ClaimStatementRow.statement_id.in_([row.id for row in listed])
            )
        )
        claims = {statement_id: claim_id for statement_id, claim_id in result}
    return [
        _Statement(row=row, claim_id=claims.get(row.id), features=features(row.text))
        for row in listed
    ]


def _speaks_as_draft(row: StatementFacts) -> bool:
    if row.speaker_kind != "document":
        return False
    return bool(_DRAFT.search(row.speaker_name or "") or _DRAFT.search(row.speaker_text or ""))


def _mark_drafts(statements: list[_Statement]) -> None:
    """Drafts: statements a draft speaks, and the other document statements of an article
    that quotes a draft ("the text", "the document" there are that draft)."""
    quoting_drafts = {s.row.article_id for s in statements if _speaks_as_draft(s.row)}
    for s in statements:
        if _speaks_as_draft(s.row):
            s.draft = True
        elif s.document and s.row.article_id in quoting_drafts:
            s.draft, s.draft_inferred = True, True


def _not_after(earlier: dt.date | None, later: dt.date | None) -> bool:
    return earlier is None or later is None or earlier <= later


def _overlaps(row: StatementFacts, start: int, end: int) -> bool:
    return row.content_start < end and start < row.content_end


def _reported_in(
    article: ArticleRow,
    statements: list[_Statement],
    drafts: list[_Statement],
    rows: _Rows,
) -> None:
    """Rule 1 with ``article`` as the later text: its sentences that report a change from
    an earlier draft, matched against the draft statements (its own included)."""
    for report in change_reports(article.text):
        start, end = report.sentence.start, report.sentence.end
        best: dict[int, tuple[float, _Statement]] = {}
        for draft in drafts:
            if not draft.draft or not _not_after(draft.published, article.published_date):
                continue
            if draft.row.article_id == article.id and _overlaps(draft.row, start, end):
                continue  # the report itself
            score = report_match(report, draft.features)
            # One statement per earlier article: the one the report describes best.
            if score is not None and score > best.get(draft.row.article_id, (0.0, draft))[0]:
                best[draft.row.article_id] = (score, draft)
        evidence = max(
            (s for s in statements if s.row.article_id == article.id),
            key=lambda s: min(s.row.content_end, end) - max(s.row.content_start, start),
            default=None,
        )
        if evidence is not None and not _overlaps(evidence.row, start, end):
            evidence = None
        for score, draft in best.values():
            rows.add(_reported_row(report, draft, article, evidence, score))


def _reported_elsewhere(
    session: Session, article: ArticleRow, drafts: list[_Statement], rows: _Rows
) -> None:
    """Rule 1 with ``article`` as the earlier text: stored articles that report a change
    from a draft, matched against the new article's draft statements."""
    if not drafts:
        return
    query = (
        select(ArticleRow)
        .where(ArticleRow.id != article.id, ArticleRow.duplicate_of_id.is_(None))
        .where(func.lower(ArticleRow.text).contains("draft"))
        .order_by(ArticleRow.id)
    )
    for later in session.scalars(in_window(query, article.published_date)).all():
        if not _not_after(article.published_date, later.published_date):
            continue
        if not change_reports(later.text):
            continue
        statements = _wrap(
            session,
            facts_of_rows(
                session.scalars(select(StatementRow).where(StatementRow.article_id == later.id))
            ),
        )
        _reported_in(later, statements, drafts, rows)


def _reported_row(
    report: ChangeReport,
    draft: _Statement,
    later: ArticleRow,
    evidence: _Statement | None,
    score: float,
) -> ClaimRelationRow:
    confidence = min(0.95, 0.55 + 0.4 * score)
    if draft.draft_inferred:
        confidence *= INFERRED_DRAFT_FACTOR
    return ClaimRelationRow(
        kind=report.kind,
        claim_id=draft.claim_id,
        statement_id=draft.row.id,
        later_article_id=later.id,
        later_claim_id=evidence.claim_id if evidence else None,
        later_statement_id=evidence.row.id if evidence else None,
        evidence_start=report.sentence.start,
        evidence_end=report.sentence.end,
        confidence=round(confidence, 3),
        detail=f'the later article reports it {report.kind} from an earlier draft: "{report.cue}"',
    )


def _ordered(a: _Statement, b: _Statement) -> tuple[_Statement, _Statement] | None:
    """(earlier, later) when rule 2 may compare the two statements, else None."""
    if a.draft != b.draft and a.document and b.document:
        draft, final = (a, b) if a.draft else (b, a)
        return (draft, final) if _not_after(draft.published, final.published) else None
    kind = a.row.speaker_kind
    if kind is None or kind in _GENERIC_KINDS or a.row.speaker_id != b.row.speaker_id:
        return None
    # The same speaker: only when the days tell which came first.
    if a.said is None or b.said is None or a.said == b.said:
        return None
    return (a, b) if a.said < b.said else (b, a)


def _compared(own: list[_Statement], others: list[_Statement], rows: _Rows) -> None:
    """Rule 2: the new statements against stored ones, whichever came first."""
    for mine in own:
        for other in others:
            pair = _ordered(mine, other)
            if pair is None or (mine.claim_id is not None and mine.claim_id == other.claim_id):
                continue
            earlier, later = pair
            found = compare(earlier.features, later.features)
            if found is not None:
                rows.add(_compared_row(earlier, later, found.kind, found.confidence, found.detail))


def _compared_row(
    earlier: _Statement, later: _Statement, kind: str, confidence: float, detail: str
) -> ClaimRelationRow:
    return ClaimRelationRow(
        kind=kind,
        claim_id=earlier.claim_id,
        statement_id=earlier.row.id,
        later_article_id=later.row.article_id,
        later_claim_id=later.claim_id,
        later_statement_id=later.row.id,
        confidence=confidence,
        detail=detail,
    )


def _revised(session: Session, article: ArticleRow, own: list[_Statement], rows: _Rows) -> None:
    """Rule 3: the previous version's statements that the new version dropped or weakened."""
    previous = _wrap(
        session,
        facts_of_rows(
            session.scalars(
                select(StatementRow)
                .where(StatementRow.article_id == article.previous_version_id)
                .order_by(StatementRow.id)
            )
        ),
    )
    text = " ".join(article.text.split())
    for old in previous:
        counterpart = next((new for new in own if _same_statement(old, new)), None)
        if counterpart is not None:
            found = compare(old.features, counterpart.features)
            if found is not None:
                rows.add(
                    _compared_row(old, counterpart, found.kind, found.confidence, found.detail)
                )
            continue
        if fuzz.partial_ratio(" ".join(old.row.text.split()), text) >= KEPT_WORDING_RATIO:
            continue
        rows.add(
            ClaimRelationRow(
                kind="dropped",
                claim_id=old.claim_id,
                statement_id=old.row.id,
                later_article_id=article.id,
                confidence=REVISION_CONFIDENCE,
                detail=f"not in version {article.version} of the article",
            )
        )


def _same_statement(old: _Statement, new: _Statement) -> bool:
    if old.claim_id is not None and old.claim_id == new.claim_id:
        return True
    if None not in (old.row.speaker_id, new.row.speaker_id) and (
        old.row.speaker_id != new.row.speaker_id
    ):
        return False
    return same_topic(old.features, new.features) is not None
