"""Test data for the HTTP tests: ORM rows inserted directly, never via the pipeline.

``build_newsroom`` creates one small, fully known world (ids are read back from the
rows: PostgreSQL sequences survive the per-test rollback, so literal ids would lie).

======  ==========  ===========  ==========  ========  ===========  ==============
row     article     outlet       published   speaker   kind         credits
======  ==========  ===========  ==========  ========  ===========  ==============
s1      a1          Guardian     2026-01-06  Macron    direct       Reuters
s2      a1          Guardian     2026-01-06  Zelensky  reported     -
s6      a_late      Guardian     2026-01-08  Macron    direct       -
s4      a_late      Guardian     2026-01-08  Kremlin   according_to AFP
s3      a_mid       Le Monde     2026-01-07  Macron    partial      Reuters, AFP
s5      a_undated   -            -           -         reported     -
======  ==========  ===========  ==========  ========  ===========  ==============

Rows are inserted in the table's order, so ids ascend s1 < s2 < s6 < s4 < s3 < s5, and
a_late gets a smaller id than a_mid although it was published later. Claim c1 ("stand by
Ukraine") groups s1, s3, s6; claim c2 groups s4.

Statements are dated as the pipeline dates them: by their article's publication
(``date_inferred``) unless the factory is given the ``date_text`` that dates them.
Every newsroom article is version 1 at a URL of its own and nobody's copy;
``Factory.new_version`` and ``Factory.copy_of`` make the other kinds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from api.storage.models import (
    ActorAliasRow,
    ActorRow,
    ArticleRow,
    ClaimRow,
    ClaimStatementRow,
    SourceRow,
    StatementCreditRow,
    StatementRow,
)

RowT = TypeVar("RowT")

# Module-wide, so several factories in one test never reuse a URL or file name.
_SERIAL = itertools.count(1)
# ``Factory.article(url=AUTO_URL)``: a URL of the article's own.
AUTO_URL = "auto"

INGESTED_AT = dt.datetime(2026, 1, 10, 12, 0, 0)
CANONICAL_STAND_BY = "We will stand by Ukraine for as long as it takes."


def find(text: str, needle: str, near: int) -> int:
    """Offset of the occurrence of ``needle`` closest before ``near``, else the first after."""
    before = text.rfind(needle, 0, near)
    return before if before != -1 else text.index(needle, near)


class Factory:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _add(self, row: RowT) -> RowT:
        self.session.add(row)
        await self.session.flush()
        return row

    async def source(self, name: str, kind: str = "outlet") -> SourceRow:
        return await self._add(SourceRow(key=name.casefold(), name=name, kind=kind))

    async def actor(
        self,
        name: str,
        kind: str = "person",
        aliases: Sequence[str] = (),
        wikidata_id: str | None = None,
    ) -> ActorRow:
        actor = ActorRow(key=f"{kind}:{name.casefold()}", name=name, kind=kind)
        actor.wikidata_id = wikidata_id
        actor.aliases = [ActorAliasRow(alias=a, key=a.casefold()) for a in aliases]
        return await self._add(actor)

    async def article(
        self,
        text: str,
        *,
        source: SourceRow | None = None,
        published: dt.date | None = None,
        title: str | None = None,
        url: str | None = AUTO_URL,
        version: int = 1,
        previous: ArticleRow | None = None,
        duplicate_of: ArticleRow | None = None,
        similarity: float | None = None,
    ) -> ArticleRow:
        serial = next(_SERIAL)
        return await self._add(
            ArticleRow(
                source_id=source.id if source else None,
                url=f"https://news.example/{serial}" if url == AUTO_URL else url,
                version=version,
                previous_version_id=previous.id if previous else None,
                duplicate_of_id=duplicate_of.id if duplicate_of else None,
                duplicate_similarity=similarity,
                title=title,
                title_inferred=False,
                outlet_inferred=source is None,
                published_date=published,
                published_at=(
                    dt.datetime.combine(published, dt.time(9, 30)) if published else None
                ),
                published_inferred=False,
                text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                origin=f"seed-{serial}.txt",
                ingested_at=INGESTED_AT,
            )
        )

    async def new_version(self, previous: ArticleRow, text: str) -> ArticleRow:
        """The next version of ``previous``: a changed text at the same URL."""
        source = None
        if previous.source_id is not None:
            source = await self.session.get(SourceRow, previous.source_id)
        return await self.article(
            text,
            source=source,
            published=previous.published_date,
            title=previous.title,
            url=previous.url,
            version=previous.version + 1,
            previous=previous,
        )

    async def copy_of(
        self,
        original: ArticleRow,
        *,
        source: SourceRow | None,
        similarity: float,
        url: str | None = AUTO_URL,
    ) -> ArticleRow:
        """A near-duplicate (syndicated) copy of ``original``: no statements of its own."""
        return await self.article(
            f"{original.text} (#{next(_SERIAL)})",
            source=source,
            published=original.published_date,
            title=original.title,
            url=url,
            duplicate_of=original,
            similarity=similarity,
        )

    async def statement(
        self,
        article: ArticleRow,
        text: str,
        *,
        speaker: ActorRow | None = None,
        kind: str = "direct",
        date: dt.date | None = None,
        quotes: Sequence[str] = (),
        cue: str | None = None,
        mention: str | None = None,
        role: str | None = None,
        credits: Sequence[SourceRow] = (),
        date_text: str | None = None,
    ) -> StatementRow:
        """``date_text``: the words that date the statement (then ``date`` is their day)."""
        start = article.text.index(text)
        cue_start = find(article.text, cue, start) if cue else None
        mention_start = find(article.text, mention, start) if mention else None
        row = StatementRow(
            article_id=article.id,
            speaker_id=speaker.id if speaker else None,
            kind=kind,
            text=text,
            content_start=start,
            content_end=start + len(text),
            quotes=[
                {"start": (s := find(article.text, q, start)), "end": s + len(q), "text": q}
                for q in quotes
            ],
            cue_text=cue,
            cue_start=cue_start,
            cue_end=cue_start + len(cue) if cue and cue_start is not None else None,
            speaker_text=mention,
            speaker_start=mention_start,
            speaker_end=(
                mention_start + len(mention) if mention and mention_start is not None else None
            ),
            speaker_role=role,
            confidence=0.9,
            statement_date=date,
            # As the pipeline stores it: dated by the publication unless the text says when.
            date_inferred=date_text is None,
            date_text=date_text,
        )
        row.credits = [StatementCreditRow(source_id=source.id) for source in credits]
        return await self._add(row)

    async def said(
        self,
        text: str,
        *,
        speaker: ActorRow | None = None,
        date: dt.date | None = None,
        kind: str = "direct",
        quotes: Sequence[str] = (),
        mention: str | None = None,
        source: SourceRow | None = None,
    ) -> StatementRow:
        """A statement whose article is just its text (and a serial, to keep hashes unique)."""
        extra = f"{mention} said. " if mention else ""
        article = await self.article(
            f"{text} {extra}{' '.join(quotes)} (#{next(_SERIAL)})",
            source=source,
            published=date,
        )
        return await self.statement(
            article, text, speaker=speaker, kind=kind, date=date, quotes=quotes, mention=mention
        )

    async def claim(
        self, text: str, speaker: ActorRow | None, statements: Sequence[StatementRow]
    ) -> ClaimRow:
        claim = await self._add(ClaimRow(text=text, speaker_id=speaker.id if speaker else None))
        await self.attach(claim.id, statements)
        return claim

    async def attach(self, claim_id: int, statements: Sequence[StatementRow]) -> None:
        for statement in statements:
            await self._add(ClaimStatementRow(claim_id=claim_id, statement_id=statement.id))


@dataclass(frozen=True)
class Newsroom:
    guardian: int
    lemonde: int
    reuters: int
    afp: int
    macron: int
    zelensky: int
    kremlin: int
    a1: int
    a_late: int
    a_mid: int
    a_undated: int
    s1: int
    s2: int
    s3: int
    s4: int
    s5: int
    s6: int
    c1: int
    c2: int

    @property
    def statements_in_id_order(self) -> list[int]:
        return [self.s1, self.s2, self.s6, self.s4, self.s3, self.s5]


JAN = {day: dt.date(2026, 1, day) for day in (6, 7, 8)}


async def build_newsroom(factory: Factory) -> Newsroom:
    guardian = await factory.source("The Guardian")
    lemonde = await factory.source("Le Monde")
    reuters = await factory.source("Reuters", "agency")
    afp = await factory.source("AFP", "agency")

    macron = await factory.actor(
        "Emmanuel Macron", aliases=["President Macron", "Macron"], wikidata_id="Q3052772"
    )
    zelensky = await factory.actor("Volodymyr Zelensky", aliases=["Zelenskyy"])
    kremlin = await factory.actor("Kremlin", kind="government")

    a1 = await factory.article(
        'French President Emmanuel Macron said: "We will stand by Ukraine for as long as it '
        'takes." Volodymyr Zelensky said security guarantees were 100% necessary.',
        source=guardian,
        published=JAN[6],
        title="Allies pledge long-term support",
    )
    s1 = await factory.statement(
        a1, CANONICAL_STAND_BY, speaker=macron, date=JAN[6], quotes=[CANONICAL_STAND_BY],
        cue="said", mention="Emmanuel Macron", role="French President", credits=[reuters],
    )  # fmt: skip
    s2 = await factory.statement(
        a1, "security guarantees were 100% necessary", speaker=zelensky, kind="reported",
        date=JAN[6], cue="said", mention="Volodymyr Zelensky",
    )  # fmt: skip

    a_late = await factory.article(
        '"We will stand by Ukraine, for as long as it takes," Macron repeated. According to '
        "the Kremlin, any foreign troops in Ukraine would be a legitimate target.",
        source=guardian,
        published=JAN[8],
        title="Macron repeats pledge",
    )
    s6 = await factory.statement(
        a_late, "We will stand by Ukraine, for as long as it takes", speaker=macron,
        date=JAN[8], quotes=["We will stand by Ukraine, for as long as it takes"],
        cue="repeated", mention="Macron",
    )  # fmt: skip
    s4 = await factory.statement(
        a_late, "any foreign troops in Ukraine would be a legitimate target", speaker=kremlin,
        kind="according_to", date=JAN[8], cue="According to", mention="Kremlin", credits=[afp],
    )  # fmt: skip

    a_mid = await factory.article(
        'Macron said France would "stand by Ukraine" as long as it takes, Reuters and AFP '
        "reported.",
        source=lemonde,
        published=JAN[7],
        title="Macron : la France restera aux côtés de l'Ukraine",
    )
    s3 = await factory.statement(
        a_mid, 'France would "stand by Ukraine" as long as it takes', speaker=macron,
        kind="partial", date=JAN[7], quotes=["stand by Ukraine"], cue="said", mention="Macron",
        role="President", credits=[reuters, afp],
    )  # fmt: skip

    a_undated = await factory.article(
        "The summit ended without a joint statement, in what one diplomat called "
        '"a diplomatic shrug".'
    )
    s5 = await factory.statement(
        a_undated, "The summit ended without a joint statement", kind="reported",
        quotes=["a diplomatic shrug"],
    )  # fmt: skip

    c1 = await factory.claim(CANONICAL_STAND_BY, macron, [s1, s6, s3])
    c2 = await factory.claim(
        "Foreign troops in Ukraine would be a legitimate target.", kremlin, [s4]
    )

    return Newsroom(
        guardian=guardian.id, lemonde=lemonde.id, reuters=reuters.id, afp=afp.id,
        macron=macron.id, zelensky=zelensky.id, kremlin=kremlin.id,
        a1=a1.id, a_late=a_late.id, a_mid=a_mid.id, a_undated=a_undated.id,
        s1=s1.id, s2=s2.id, s3=s3.id, s4=s4.id, s5=s5.id, s6=s6.id, c1=c1.id, c2=c2.id,
    )  # fmt: skip
