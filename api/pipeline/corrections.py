"""Editors' corrections, replayed on every statement the pipeline stores.

An editor's correction (``POST /v1/actors/{id}/merge``, ``/split``, ``PATCH
/v1/statements/{id}``, or ``statements corrections import``) is applied to the stored rows
at once by api/services/corrections.py and kept in ``corrections`` by stable keys. This
module makes it hold for what is ingested afterwards: a new article, a new version of
one, or the same articles ingested again into a rebuilt database.

For each statement the pipeline first finds the actor it would pick on its own (the
"machine" actor, api/pipeline/actors.py), then replays the corrections over that actor's
key in the order they were made, exactly as the services applied them to stored rows:

- ``merge_actors``: an actor keyed ``actor_key`` becomes ``target_key``;
- ``split_alias``: an actor keyed ``actor_key``, named in the text by a mention matching
  ``alias_key`` ("U.S. envoy Steve Whitkoff" matches "steve whitkoff"), becomes
  ``target_key``;
- ``reassign_speaker``: the statement at ``content_start``-``content_end`` of the text
  hashed ``article_hash`` was said by ``target_key`` (None: by nobody known).

Replaying in order is what makes a chain come out as it did: a merge into an actor that
was merged on later ends at the last one.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.services.names import mention_matches
from api.storage.models import CorrectionRow
from schemas import CorrectionKind

MERGE = CorrectionKind.MERGE_ACTORS.value
SPLIT = CorrectionKind.SPLIT_ALIAS.value
REASSIGN = CorrectionKind.REASSIGN_SPEAKER.value


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    actor_key: str | None = None
    alias_key: str | None = None
    target_key: str | None = None
    target_name: str | None = None
    alias: str | None = None
    article_hash: str | None = None
    content_start: int | None = None
    content_end: int | None = None


class Mention(msgspec.Struct, frozen=True, kw_only=True):
    """Where a statement and its speaker mention are: what a correction is matched on."""

    text: str | None  # the speaker mention as written ("U.S. envoy Steve Witkoff")
    article_hash: str
    content_start: int
    content_end: int


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """The speaker a statement gets once the corrections are replayed."""

    key: str | None  # the actor's key; None for no speaker
    name: str | None = None  # display name for the actor, should it not exist yet
    corrected: bool = False  # whether any correction changed the machine's choice
    reassigned: bool = False  # an editor chose this statement's speaker by hand
    keep_role: bool = True  # the role the article gave still belongs to the speaker
    # Split off under this alias (key, and as written): of the mention's names, only
    # those naming it go with the statement, as the split moved only those aliases.
    alias_key: str | None = None
    alias: str | None = None


class Corrections:
    """Every correction of the database, in the order they were made."""

    def __init__(self, rules: list[Rule]) -> None:
        self._rules = rules
        self._withheld: dict[str, set[str]] = {}
        for rule in rules:
            if rule.kind == SPLIT and rule.actor_key and rule.alias_key:
                self._withheld.setdefault(rule.actor_key, set()).add(rule.alias_key)

    def __len__(self) -> int:
        return len(self._rules)

    def decide(self, machine_key: str | None, mention: Mention) -> Decision:
        decision = Decision(key=machine_key)
        for rule in self._rules:
            key = decision.key
            if key is not None and key == rule.actor_key and _moves(rule, mention):
                split = rule.kind == SPLIT
                decision = msgspec.structs.replace(
                    decision,
                    key=rule.target_key,
                    name=rule.target_name,
                    corrected=True,
                    alias_key=rule.alias_key if split else decision.alias_key,
                    alias=rule.alias if split else decision.alias,
                )
            elif rule.kind == REASSIGN and _same_statement(rule, mention):
                # As PATCH /v1/statements/{id} does: a new speaker does not inherit the
                # role the article gave the previous one.
                decision = Decision(
                    key=rule.target_key,
                    name=rule.target_name,
                    corrected=True,
                    reassigned=True,
                    keep_role=decision.keep_role and rule.target_key == key,
                )
        return decision

    def merged_key(self, key: str) -> str:
        """Where merges take an actor key (the key itself when no merge names it)."""
        for rule in self._rules:
            if rule.kind == MERGE and rule.actor_key == key and rule.target_key:
                key = rule.target_key
        return key

    def withheld_aliases(self, actor_key: str) -> frozenset[str]:
        """Alias keys an editor split off this actor: the pipeline never gives them back."""
        return frozenset(self._withheld.get(actor_key, ()))

    def names_key(self, key: str) -> bool:
        """Whether any correction refers to the actor key (so it must not change)."""
        return any(key in (rule.actor_key, rule.target_key) for rule in self._rules)


def _moves(rule: Rule, mention: Mention) -> bool:
    """Whether a merge or split of the statement's actor takes this statement along."""
    if rule.kind == MERGE:
        return True
    return (
        rule.kind == SPLIT
        and rule.alias_key is not None
        and mention_matches(mention.text, rule.alias_key)
    )


def _same_statement(rule: Rule, mention: Mention) -> bool:
    return (
        rule.article_hash == mention.article_hash
        and rule.content_start == mention.content_start
        and rule.content_end == mention.content_end
    )


def load_corrections(session: Session) -> Corrections:
    """The corrections, read once per article: they are few, and may change between two."""
    rows = session.scalars(select(CorrectionRow).order_by(CorrectionRow.id)).all()
    return Corrections(
        [
            Rule(
                kind=row.kind,
                actor_key=row.actor_key,
                alias_key=row.alias_key,
                target_key=row.target_key,
                target_name=row.target_name,
                alias=row.alias,
                article_hash=row.article_hash,
                content_start=row.content_start,
                content_end=row.content_end,
            )
            for row in rows
        ]
    )
