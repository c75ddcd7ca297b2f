"""API keys: create, list, revoke (the CLI) and authenticate (the HTTP layer).

A token reads ``stmt_<prefix>_<secret>``. Only a SHA-256 of the secret is stored: the
secret is 32 random bytes, so a fast hash is enough (nothing to brute-force), and the
prefix finds the row without scanning. Tokens are shown once, when created.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets

import msgspec
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from api.storage.models import ApiKeyRow, utcnow

TOKEN_PREFIX = "stmt"


class Scope(enum.StrEnum):
    READ = "read"  # reads, when the deployment makes them private
    INGEST = "ingest"  # submit articles
    EDIT = "edit"  # editorial corrections
    ADMIN = "admin"  # everything


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    key_id: int
    name: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        return Scope.ADMIN in self.scopes or scope in self.scopes


class InvalidScopeError(ValueError):
    pass


def parse_scopes(values: list[str]) -> list[Scope]:
    try:
        return sorted({Scope(v) for v in values})
    except ValueError as exc:
        allowed = ", ".join(s.value for s in Scope)
        raise InvalidScopeError(f"unknown scope in {values!r}: use {allowed}") from exc


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(session: Session, name: str, scopes: list[Scope]) -> tuple[ApiKeyRow, str]:
    """Store a new key; returns the row and the token (shown once, never stored)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    row = ApiKeyRow(name=name, prefix=prefix, secret_hash=_hash(secret), scopes=list(scopes))
    session.add(row)
    session.flush()
    return row, f"{TOKEN_PREFIX}_{prefix}_{secret}"


def list_keys(session: Session) -> list[ApiKeyRow]:
    return list(session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id)))


def revoke_key(session: Session, key_id: int) -> bool:
    row = session.get(ApiKeyRow, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def split_token(token: str) -> tuple[str, str] | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


# last_used_at is for spotting unused keys: a minute's precision is plenty.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


async def authenticate(session: AsyncSession, token: str) -> Principal | None:
    """The key a bearer token belongs to, or None when unknown, wrong or revoked."""
    parts = split_token(token)
    if parts is None:
        return None
    prefix, secret = parts
    row = await session.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    return Principal(key_id=row.id, name=row.name, scopes=frozenset(Scope(s) for s in row.scopes))


async def touch_key(session: AsyncSession, key_id: int) -> None:
    """Record that the key was used, at most once a minute (no write on most requests)."""
    now = utcnow()
    await session.execute(
        update(ApiKeyRow)
        .where(
            ApiKeyRow.id == key_id,
            or_(
                ApiKeyRow.last_used_at.is_(None),
                ApiKeyRow.last_used_at < now - LAST_USED_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
    )
