from __future__ import annotations

from api.pipeline.quotes import find_quotes, is_heading_quote


def _quoted(text: str) -> list[str]:
    return [text[q.inner_start : q.inner_end] for q in find_quotes(text)]


def test_curly_and_straight_double_quotes() -> None:
    text = 'He said “a lot of progress” had been made. She said "it ends forever."'
    assert _quoted(text) == ["a lot of progress", "it ends forever."]


def test_single_quotes_are_not_apostrophes() -> None:
    text = "Germany's Chancellor said efforts proceed 'under difficult conditions'. Allies' aims."
    assert _quoted(text) == ["under difficult conditions"]


def test_nested_single_quote_belongs_to_the_double_quote() -> None:
    text = "“They called it ‘a turning point’ today,” he said."
    assert _quoted(text) == ["They called it ‘a turning point’ today"]


def test_trailing_comma_inside_marks_is_not_quoted() -> None:
    text = "“These are not just words. There is concrete content,” he said."
    assert _quoted(text) == ["These are not just words. There is concrete content"]


def test_quote_left_open_runs_to_the_end_of_its_paragraph() -> None:
    text = "He said: “The first paragraph goes on\n\n“and the second closes.”"
    assert _quoted(text) == ["The first paragraph goes on", "and the second closes."]


def test_offsets_point_at_the_exact_characters() -> None:
    text = "Macron said France could contribute “several thousand” troops."
    (quote,) = find_quotes(text)
    assert text[quote.outer_start : quote.outer_end] == "“several thousand”"
    assert text[quote.inner_start : quote.inner_end] == "several thousand"


def test_heading_quote_is_recognised() -> None:
    text = "Intro line.\n\n“Robust Security Guarantees”\n\nBody says “this is a full sentence.”"
    heading, body = find_quotes(text)
    assert is_heading_quote(text, heading)
    assert not is_heading_quote(text, body)


def test_doubled_apostrophes_are_a_double_quote() -> None:
    text = "''It's not reform,'' he said. ''It's a tax increase.''"
    assert _quoted(text) == ["It's not reform", "It's a tax increase."]
