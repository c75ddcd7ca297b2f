"""clean_article on the five seeds and on pages of other, made-up sites."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from api.pipeline.clean import clean_article, is_clutter, normalise_text
from api.pipeline.inputs import read_inputs
from api.pipeline.types import CleanArticle, RawArticle

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CLUTTER_TOML = Path(__file__).resolve().parents[2] / "api/pipeline/data/clutter.toml"


@dataclass(frozen=True)
class Seed:
    file: str
    title: str
    outlet: str | None
    outlet_inferred: bool
    published_date: dt.date
    published_at: dt.datetime | None
    # Raw lines (trimmed) that must not reach the output, once per occurrence:
    # page clutter, dateline lines and repeated headlines.
    removed: tuple[str, ...]
    # Dateline prefixes removed from the start of a line that is otherwise kept.
    removed_prefixes: tuple[str, ...] = field(default=())


SEED_EXPECTATIONS = [
    Seed(
        file="000_16943aabc2b94002.txt",
        title="U.S. to Promise Ukraine Support to Counter New Russian Attacks",
        outlet="Ground News",
        outlet_inferred=False,  # supplied by the manifest
        published_date=dt.date(2026, 1, 7),
        published_at=None,
        removed=(
            "54 Articles",
            "54 Articles",
            "Coverage Details",
            "Bias Distribution",
            "- 38% of the sources lean Left, 37% of the sources are Center",
            "Factuality",
            "To view factuality data please Upgrade to Premium",
        ),
    ),
    Seed(
        file="001_b16eecb884c7e125.txt",
        title="US Signals Readiness to Back European-Led Security Force in Ukraine After Ceasefire",
        outlet=None,
        outlet_inferred=False,
        published_date=dt.date(2026, 1, 6),
        published_at=None,
        removed=(),
        removed_prefixes=("date 2026-01-06 ",),
    ),
    Seed(
        file="002_6abd8a862fe6f02b.txt",
        title="European Allies Set Post-Ceasefire Force for Ukraine",
        outlet="Clash Report",
        outlet_inferred=True,
        published_date=dt.date(2026, 1, 7),
        published_at=None,
        removed=(
            "Advertisement banner",
            "January 07, 2026Clash Report",
            "Cover Image",
            *["View post on X"] * 5,
        ),
    ),
    Seed(
        file="003_fb0bc581b9d15f48.txt",
        title="Ukraine Allies Unveil Security Guarantees at Paris Summit",
        outlet=None,
        outlet_inferred=False,
        published_date=dt.date(2026, 1, 7),
        published_at=None,
        removed=(
            "Must read",
            "- Advertisement -",
            "- Advertisement -",
            "- Advertisement -",
            "More articles",
            "Latest article",
        ),
        removed_prefixes=("January 7, 2026: ",),
    ),
    Seed(
        file="004_ebb0fcdf10aa2aac.txt",
        title="Reuters: US Backs Security Guarantees For Ukraine For The First Time",
        outlet="Charter 97",
        outlet_inferred=True,
        published_date=dt.date(2026, 1, 8),
        published_at=dt.datetime(2026, 1, 8, 14, 52),
        removed=(
            "8 January 2026, Thursday, 14:52",
            "Support",
            "the website",
            "Sim Sim,",
            "Charter 97!",
            "Categories",
            "Reuters: US Backs Security Guarantees For Ukraine For The First Time",
            "Write your comment",
            "Follow Charter97.org social media accounts",
        ),
    ),
]
SEED_IDS = [seed.file[:3] for seed in SEED_EXPECTATIONS]


@functools.cache
def seed_inputs() -> dict[str, RawArticle]:
    """The seeds as the pipeline reads them: the folder, with its manifest."""
    items = list(read_inputs([SEEDS]))
    assert all(isinstance(item, RawArticle) for item in items)
    return {Path(item.origin).name: item for item in items if isinstance(item, RawArticle)}


def cleaned(seed: Seed) -> CleanArticle:
    return clean_article(seed_inputs()[seed.file])


def expected_paragraphs(seed: Seed) -> list[str]:
    """The raw lines minus the expected removals, prefixes stripped, in page order."""
    to_remove = Counter(seed.removed)
    kept = []
    for raw_line in normalise_text(seed_inputs()[seed.file].raw_text).split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        if to_remove[line]:
            to_remove[line] -= 1
            continue
        for prefix in seed.removed_prefixes:
            line = line.removeprefix(prefix)
        kept.append(line)
    assert not +to_remove, f"expected removals not in the seed: {+to_remove}"
    return kept


def sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+(?=[A-Z“\"\u2018'])", paragraph) if s]


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=SEED_IDS)
def test_seed_keeps_every_prose_line_and_drops_only_the_expected_lines(seed: Seed) -> None:
    assert cleaned(seed).text.split("\n\n") == expected_paragraphs(seed)


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=SEED_IDS)
def test_seed_clutter_lines_are_gone(seed: Seed) -> None:
    paragraphs = cleaned(seed).text.split("\n\n")
    leftovers = [line for line in seed.removed if line in paragraphs[1:]]
    assert leftovers == []
    assert [p for p in paragraphs if is_clutter(p)] == []


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=SEED_IDS)
def test_seed_every_sentence_survives_verbatim(seed: Seed) -> None:
    text = cleaned(seed).text
    prose = expected_paragraphs(seed)
    missing = [s for paragraph in prose for s in sentences(paragraph) if s not in text]
    assert missing == []
    # Quote marks, apostrophes and dashes are kept as written, never folded to ASCII.
    raw = normalise_text(seed_inputs()[seed.file].raw_text)
    for mark in "\u201c\u201d\u2018\u2019\u2013\u2014\u2026\"'":
        assert text.count(mark) == raw.count(mark), mark


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=SEED_IDS)
def test_seed_layout(seed: Seed) -> None:
    text = cleaned(seed).text
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == seed.title
    assert paragraphs.count(seed.title) == 1  # 004 prints its headline twice
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    assert text == text.strip()


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=SEED_IDS)
def test_seed_metadata(seed: Seed) -> None:
    article = cleaned(seed)
    assert (article.title, article.title_inferred) == (seed.title, True)
    assert (article.outlet, article.outlet_inferred) == (seed.outlet, seed.outlet_inferred)
    assert article.published_date == seed.published_date
    assert article.published_at == seed.published_at
    assert article.published_inferred is True
    assert article.origin.endswith(seed.file)
    assert article.url is None


# Pinned so that any change to the cleaning rules that alters stored text (and so
# the offsets and deduplication keyed on it) is a deliberate, visible decision.
SEED_HASHES = {
    "000": "0fbf40ca9f6a578dd5b3e0a57c20c4f3c44dd056e0c5630b01353eb9ff1d12df",
    "001": "4bb08af7367670dc1902bc22d2604591b69424ccdc0e88e2ab5aaff42c595515",
    "002": "f2295e232f893fe0106cc987044ecf6144fd2b9cdffa5f4434a8812ff9bafab5",
    "003": "6087a1ef2838685c574ec910070f8fde4219687dabbfb0a995051d7eb76105ac",
    "004": "9e194c04d9f7ceb6e66dcc98d9edc8dc182dfe6301e9c54951f873bed1323278",
}


@pytest.mark.parametrize("seed", SEED_EXPECTATIONS, ids=SEED_IDS)
def test_seed_content_hash_is_sha256_of_text_and_pinned(seed: Seed) -> None:
    article = cleaned(seed)
    assert article.content_hash == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert clean_article(seed_inputs()[seed.file]) == article
    assert article.content_hash == SEED_HASHES[seed.file[:3]]


def test_content_hash_ignores_transport_differences() -> None:
    raw = seed_inputs()["004_ebb0fcdf10aa2aac.txt"]
    variant_text = "\ufeff" + raw.raw_text.replace("\n", "  \r\n") + "\r\n\r\n\t\r\n"
    variant = clean_article(RawArticle(origin="other", raw_text=variant_text))
    assert variant.content_hash == clean_article(raw).content_hash


def test_supplied_metadata_wins_and_is_not_flagged_inferred() -> None:
    raw = seed_inputs()["004_ebb0fcdf10aa2aac.txt"]
    supplied = RawArticle(
        origin="feed",
        raw_text=raw.raw_text,
        url="https://example.org/a",
        outlet="Charter'97",
        title="US backs guarantees",
        published="2026-01-09T10:15:00+01:00",
    )
    article = clean_article(supplied)
    assert (article.title, article.title_inferred) == ("US backs guarantees", False)
    assert (article.outlet, article.outlet_inferred) == ("Charter'97", False)
    assert article.published_date == dt.date(2026, 1, 9)
    assert article.published_at == dt.datetime(
        2026, 1, 9, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert article.published_inferred is False
    assert article.url == "https://example.org/a"
    # The text keeps the page's own headline; the supplied title is metadata.
    assert article.text.startswith("Reuters: US Backs Security Guarantees")


def test_supplied_date_only_gives_no_time() -> None:
    article = clean_article(
        RawArticle(
            origin="feed",
            raw_text="8 January 2026, 14:52\nHeadline Of The Day Here\nBody text is here.",
            published="2026-01-05",
        )
    )
    assert (article.published_date, article.published_at) == (dt.date(2026, 1, 5), None)
    assert article.published_inferred is False
    assert article.text == "Headline Of The Day Here\n\nBody text is here."


def test_unparseable_supplied_date_falls_back_to_the_text() -> None:
    article = clean_article(
        RawArticle(
            origin="feed",
            published="last Tuesday",
            raw_text="Headline Of The Day Here\nOn March 2, 2026, the talks began.",
        )
    )
    assert (article.published_date, article.published_inferred) == (dt.date(2026, 3, 2), True)


def test_supplied_title_missing_from_the_text_becomes_the_first_paragraph() -> None:
    article = clean_article(
        RawArticle(
            origin="feed",
            title="  Talks Resume In Geneva ",
            raw_text="Share\nThe talks resumed on Monday, officials said.\n",
        )
    )
    assert article.text == "Talks Resume In Geneva\n\nThe talks resumed on Monday, officials said."
    assert (article.title, article.title_inferred) == ("Talks Resume In Geneva", False)


def test_supplied_title_printed_in_the_text_is_not_repeated() -> None:
    article = clean_article(
        RawArticle(
            origin="feed",
            title="Talks resume in Geneva",
            raw_text="Menu\nTalks Resume In Geneva\nThe talks resumed on Monday, officials said.",
        )
    )
    assert article.text == "Talks Resume In Geneva\n\nThe talks resumed on Monday, officials said."


def test_repeated_title_and_repeated_paragraphs_collapse() -> None:
    raw = (
        "Harbour Strike Ends After Nine Days\n"
        "Dock workers returned to work on Monday, the union said.\n"
        "HARBOUR STRIKE ENDS AFTER NINE DAYS\n"  # the title bar, pasted below the dek
        "Cargo moved again by Wednesday.\n\nCargo moved again by Wednesday.\n"
    )
    article = clean_article(RawArticle(origin="repeat", raw_text=raw))
    assert article.text.split("\n\n") == [
        "Harbour Strike Ends After Nine Days",
        "Dock workers returned to work on Monday, the union said.",
        "Cargo moved again by Wednesday.",
    ]


def test_normalisation_keeps_characters_as_written() -> None:
    decomposed = "Paris\u00a0Summit: E\u0301lyse\u0301e Talks Go On\r\n\r\n"
    body = 'He said \u201cyes\u201d \u2013 not "no" \u2014 twice.\u200b\u00ad\x07\rNext line here.'
    article = clean_article(RawArticle(origin="x", raw_text=decomposed + body))
    assert article.text == (
        "Paris\u00a0Summit: \u00c9lys\u00e9e Talks Go On\n\n"
        'He said \u201cyes\u201d \u2013 not "no" \u2014 twice.\n\n'
        "Next line here."
    )


def test_every_clutter_rule_says_why_and_compiles() -> None:
    rules = tomllib.loads(CLUTTER_TOML.read_text("utf-8"))["rule"]
    assert len(rules) >= 10
    for rule in rules:
        assert rule["why"].strip() and rule["kind"].strip()
        re.compile(rule["pattern"])


# --- pages of other, made-up sites -------------------------------------------

BUGLE_PAGE = """Skip to main content
Menu
Search
Published: Jan. 12, 2026 | The Daily Bugle
Harbour Strike Ends After Nine Days
Dock workers returned to work on Monday after a nine-day strike, the union said.
Story continues below advertisement
“We got what we came for,” union leader Ana Silva told reporters.
View this post on Instagram
A post shared by Port Workers Union (@portunion)
The port authority said cargo would move normally by Wednesday.
Share this article
Facebook
Twitter
Copy link
Related Articles
Tags: strikes, ports
© 2026 The Daily Bugle. All rights reserved.
"""

HERALD_PAGE = """Tue 13 Jan 2026 10.30 GMT
Europe
Live
Home
Grain Deal Talks Stall Over Insurance
Negotiators failed to agree on insurance for grain ships, two diplomats said.

ADVERTISEMENT

Subscribe to our newsletter

Photo: Kyiv Herald/Staff

5 min read
“There is no deal yet,” one of them said.
Follow KyivHerald.net social media accounts
© 2026 Kyiv Herald
"""

PROSE_ONLY_PAGE = """The ministers met on January 9, 2026, after a first round on January 2, 2026.
They said the next round would start soon.
"""


def test_other_site_with_share_bar_and_embed() -> None:
    article = clean_article(RawArticle(origin="bugle", raw_text=BUGLE_PAGE))
    assert article.text.split("\n\n") == [
        "Harbour Strike Ends After Nine Days",
        "Dock workers returned to work on Monday after a nine-day strike, the union said.",
        "“We got what we came for,” union leader Ana Silva told reporters.",
        "The port authority said cargo would move normally by Wednesday.",
    ]
    assert (article.outlet, article.outlet_inferred) == ("The Daily Bugle", True)
    assert (article.published_date, article.published_inferred) == (dt.date(2026, 1, 12), True)


def test_other_site_with_section_fragments_before_the_headline() -> None:
    article = clean_article(RawArticle(origin="herald", raw_text=HERALD_PAGE))
    assert article.text.split("\n\n") == [
        "Grain Deal Talks Stall Over Insurance",
        "Negotiators failed to agree on insurance for grain ships, two diplomats said.",
        "“There is no deal yet,” one of them said.",
    ]
    assert article.title == "Grain Deal Talks Stall Over Insurance"
    assert (article.outlet, article.outlet_inferred) == ("Kyiv Herald", True)
    assert article.published_at == dt.datetime(2026, 1, 13, 10, 30)


def test_page_without_headline_or_dateline() -> None:
    article = clean_article(RawArticle(origin="prose", raw_text=PROSE_ONLY_PAGE))
    assert article.text == PROSE_ONLY_PAGE.strip().replace("\n", "\n\n")
    assert (article.title, article.title_inferred) == (None, False)
    assert (article.outlet, article.outlet_inferred) == (None, False)
    assert (article.published_date, article.published_inferred) == (dt.date(2026, 1, 9), True)


def test_dated_lines_below_the_lead_keep_their_dates() -> None:
    timeline = "\n".join(f"Step {n} of the talks went ahead as planned." for n in range(10))
    raw = f"Timeline Of The Talks So Far\n{timeline}\nMarch 3, 2025: Talks began in Riyadh.\n"
    article = clean_article(RawArticle(origin="timeline", raw_text=raw))
    assert article.text.endswith("\n\nMarch 3, 2025: Talks began in Riyadh.")


def test_sentence_starting_with_a_date_is_prose_not_a_dateline() -> None:
    raw = "Storm Hits Coast Overnight\nJanuary 7, 2026 was the coldest day of the year."
    article = clean_article(RawArticle(origin="storm", raw_text=raw))
    assert article.text == (
        "Storm Hits Coast Overnight\n\nJanuary 7, 2026 was the coldest day of the year."
    )
