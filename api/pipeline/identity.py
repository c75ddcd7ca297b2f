"""Where a clean article belongs among the stored ones: new, unchanged, a new version of
the article at its URL, or a near-duplicate (syndicated) copy of another article.

An article is identified by its canonical URL when it has one, else by its content:
- same URL, same text: unchanged (a no-op);
- same URL, changed text: the next version, pointing back at the one it revises;
- no URL and a text already stored: unchanged;
- a text whose MinHash signature is close to a stored article's at another URL is a copy
  of it (``duplicate_of``) and carries no statements of its own; this holds for a new
  version too (a syndicated copy whose footer was edited is still a copy);
- otherwise it is new (or a new version with statements of its own).

Near-duplicate candidates come from the LSH band keys stored per article
(``article_bands``), so finding them is an indexed lookup, not a scan of the corpus.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.pipeline import near_duplicates
from api.pipeline.types import CleanArticle
from api.storage.models import ArticleBandRow, ArticleRow

Outcome = Literal["ingested", "unchanged", "new_version", "duplicate"]


class Placement(msgspec.Struct, frozen=True, kw_only=True):
    outcome: Outcome
    # Set for a copy, whether a first copy ("duplicate") or a revised one ("new_version").
    signature: bytes
    # Empty for a text too short to be anyone's copy (near_duplicates.MIN_SHINGLES).
    band_keys: tuple[str, ...] = ()
    # The stored article this one revises (new_version) or repeats (unchanged).
    previous_id: int | None = None
    previous_version: int = 0
    duplicate_of_id: int | None = None
    similarity: float | None = None


def latest_version(session: Session, url: str) -> ArticleRow | None:
    return session.scalar(
        select(ArticleRow).where(ArticleRow.url == url).order_by(ArticleRow.version.desc())
    )


def is_unchanged(session: Session, article: CleanArticle) -> bool:
    """True when storing ``article`` would change nothing (cheap: no signature)."""
    if article.url is not None:
        latest = latest_version(session, article.url)
        return latest is not None and latest.content_hash == article.content_hash
    found = session.scalar(
        select(ArticleRow.id).where(ArticleRow.content_hash == article.content_hash).limit(1)
    )
    return found is not None


def place_article(
    session: Session,
    article: CleanArticle,
    fingerprint: near_duplicates.Fingerprint | None = None,
) -> Placement:
    """Where ``article`` belongs; ``fingerprint``: its own, when worked out already (a
    pure function of the text, better computed before the write transaction)."""
    if fingerprint is None:
        fingerprint = near_duplicates.fingerprint(article.text)
    signature, keys = fingerprint.signature, fingerprint.band_keys
    latest = latest_version(session, article.url) if article.url is not None else None
    if latest is not None and latest.content_hash == article.content_hash:
        return Placement(
            outcome="unchanged", signature=signature, band_keys=keys, previous_id=latest.id
        )
    if latest is None and article.url is None and is_unchanged(session, article):
        return Placement(outcome="unchanged", signature=signature, band_keys=keys)
    original, similarity = nearest_copy_of(session, signature, keys, exclude_url=article.url)
    if latest is not None:
        return Placement(
            outcome="new_version",
            signature=signature,
            band_keys=keys,
            previous_id=latest.id,
            previous_version=latest.version,
            duplicate_of_id=original,
            similarity=similarity,
        )
    return Placement(
        outcome="ingested" if original is None else "duplicate",
        signature=signature,
        band_keys=keys,
        duplicate_of_id=original,
        similarity=similarity,
    )


def nearest_copy_of(
    session: Session, signature: bytes, keys: tuple[str, ...], *, exclude_url: str | None = None
) -> tuple[int | None, float | None]:
    """The stored original this signature is a near-duplicate of, with the similarity.

    Articles at ``exclude_url`` are earlier versions of the same page, not originals.
    """
    if not keys:
        return None, None
    query = (
        select(ArticleRow.id, ArticleRow.minhash)
        .join(ArticleBandRow, ArticleBandRow.article_id == ArticleRow.id)
        .where(ArticleBandRow.band_key.in_(keys))
        .distinct()
    )
    if exclude_url is not None:
        query = query.where(ArticleRow.url.is_distinct_from(exclude_url))
    candidates = session.execute(query).all()
    best: tuple[int | None, float | None] = (None, None)
    for article_id, minhash in candidates:
        if minhash is None:
            continue
        similarity = near_duplicates.similarity(signature, minhash)
        is_better = best[1] is None or similarity > best[1]
        if similarity >= near_duplicates.DUPLICATE_THRESHOLD and is_better:
            best = (article_id, similarity)
    return best


def index_bands(session: Session, row: ArticleRow, placement: Placement) -> None:
    """Make ``row`` findable as an original; a copy or a superseded version is not one."""
    if placement.previous_id is not None and placement.outcome == "new_version":
        session.execute(
            delete(ArticleBandRow).where(ArticleBandRow.article_id == placement.previous_id)
        )
    if placement.duplicate_of_id is not None:
        return
    session.add_all(ArticleBandRow(band_key=key, article_id=row.id) for key in placement.band_keys)
