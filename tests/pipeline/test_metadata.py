"""The date, title and outlet recognisers, one by one."""

from __future__ import annotations

import datetime as dt

import pytest

from api.pipeline.metadata import (
    Dateline,
    PublishedDate,
    find_dates,
    find_headline,
    is_headline_like,
    latest_prose_date,
    looks_like_name,
    outlet_from_prompts,
    parse_supplied_published,
    preferred_spelling,
    read_dateline,
)

JAN_7 = PublishedDate(dt.date(2026, 1, 7), None)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("January 07, 2026Clash Report", Dateline(JAN_7, "Clash Report", None)),
        (
            "8 January 2026, Thursday, 14:52",
            Dateline(
                PublishedDate(dt.date(2026, 1, 8), dt.datetime(2026, 1, 8, 14, 52)), None, None
            ),
        ),
        (
            " date 2026-01-06 US Signals Readiness to Back European-Led Security Force",
            Dateline(
                PublishedDate(dt.date(2026, 1, 6), None),
                None,
                "US Signals Readiness to Back European-Led Security Force",
            ),
        ),
        (
            "January 7, 2026: Ukraine\u2019s key allies outlined a framework.",
            Dateline(JAN_7, None, "Ukraine\u2019s key allies outlined a framework."),
        ),
        ("Published: Jan. 7, 2026 | The Daily Bugle", Dateline(JAN_7, "The Daily Bugle", None)),
        ("Thursday, January 7th, 2026 By Jane Doe", Dateline(JAN_7, None, None)),
        (
            "Updated 2026-01-07T08:15 UTC",
            Dateline(
                PublishedDate(dt.date(2026, 1, 7), dt.datetime(2026, 1, 7, 8, 15)), None, None
            ),
        ),
        (
            "Tue 7 Jan 2026 10.30 pm GMT",
            Dateline(
                PublishedDate(dt.date(2026, 1, 7), dt.datetime(2026, 1, 7, 22, 30)), None, None
            ),
        ),
    ],
)
def test_read_dateline(line: str, expected: Dateline) -> None:
    assert read_dateline(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "January 7, 2026 was the coldest day of the year.",  # a sentence about the date
        "On January 6, 2026, at the Elysée Palace in Paris, leaders met.",
        "February 30, 2026: No such day.",
        "2026-13-01 Not a date either",
        "54 Articles",
        "Good morning on January 7, 2026.",
    ],
)
def test_not_a_dateline(line: str) -> None:
    assert read_dateline(line) is None


def test_find_dates_in_prose() -> None:
    text = (
        "Good morning on January 7, 2026. On January 6, 2026, at the Elysée Palace, "
        "and on 2 Feb 2026 at 09:05, but not on 2026/01/09 or on January 9."
    )
    assert find_dates(text) == [
        PublishedDate(dt.date(2026, 1, 7), None),
        PublishedDate(dt.date(2026, 1, 6), None),
        PublishedDate(dt.date(2026, 2, 2), dt.datetime(2026, 2, 2, 9, 5)),
    ]


def test_latest_prose_date_reads_only_the_first_part() -> None:
    lead = ["On January 6, 2026, leaders met.", "Good morning on January 7, 2026."]
    later = ["x" * 2000, "The deadline is March 1, 2026."]
    assert latest_prose_date(lead + later) == JAN_7
    assert latest_prose_date(["No date here."]) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-07", JAN_7),
        (" 2026-01-07 ", JAN_7),
        (
            "2026-01-07T14:52:00",
            PublishedDate(dt.date(2026, 1, 7), dt.datetime(2026, 1, 7, 14, 52)),
        ),
        (
            "2026-01-07T23:30:00Z",
            PublishedDate(dt.date(2026, 1, 7), dt.datetime(2026, 1, 7, 23, 30, tzinfo=dt.UTC)),
        ),
        ("7 January 2026", None),
        ("", None),
    ],
)
def test_parse_supplied_published(value: str, expected: PublishedDate | None) -> None:
    assert parse_supplied_published(value) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Reuters: US Backs Security Guarantees For Ukraine For The First Time", True),
        ("Is This The End Of The War?", True),
        ("“Robust Security Guarantees”", True),
        ("Charter 97!", False),
        ("Sim Sim,", False),
        ("the website", False),
        ("Support", False),
        ("The focus has shifted.", False),
        ("- On January 6, 2026, leaders met", False),
    ],
)
def test_is_headline_like(line: str, expected: bool) -> None:
    assert is_headline_like(line) is expected


def test_find_headline_stops_where_the_prose_begins() -> None:
    assert find_headline(["Support", "Sim Sim,", "Harbour Strike Ends Today", "Body."]) == 2
    assert find_headline(["The strike ended on Monday, the union said.", "What Comes Next"]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Clash Report", True),
        ("Charter97.org", True),
        ("By Jane Doe, in Paris", False),
        ("the talks went on", False),
        ("One Two Three Four Five Six", False),
    ],
)
def test_looks_like_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Follow Charter97.org social media accounts"], "Charter97.org"),  # no spelled-out name
        (["Follow The Kyiv Independent on X"], "The Kyiv Independent"),
        (["Follow us on Telegram and X", "Join our channel on WhatsApp"], None),
        (["© 2026 Clash Report. All rights reserved."], "Clash Report"),
        (["Copyright © 2024-2026 The Daily Bugle"], "The Daily Bugle"),
        (["Support example.org today"], "example.org"),
        (["He asked followers to follow him on social media."], None),
    ],
)
def test_outlet_from_prompts(lines: list[str], expected: str | None) -> None:
    assert outlet_from_prompts(lines, "\n".join(lines)) == expected


def test_preferred_spelling_uses_the_pages_own_name_for_a_domain() -> None:
    text = "Sim Sim,\nCharter 97!\nFollow Charter97.org social media accounts"
    assert preferred_spelling("Charter97.org", text) == "Charter 97"
    assert preferred_spelling("www.kyivherald.net", "© Kyiv Herald") == "Kyiv Herald"
    assert preferred_spelling("The Kyiv Independent", "anything") == "The Kyiv Independent"
