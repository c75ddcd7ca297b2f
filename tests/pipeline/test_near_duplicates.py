"""Near-duplicate detection: MinHash signatures, LSH band keys, syndicated copies."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.pipeline import near_duplicates as nd

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# A made-up wire story, as the agency sent it (straight quotes, one line per paragraph).
WIRE_STORY = """\
Lakeport council approves 2.4 billion tram line after marathon session
LAKEPORT, May 14 (Northwire) - Lakeport's city council on Tuesday approved a 2.4 billion \
crown light rail line linking the eastern harbour district to the airport, ending a \
decade of disputes over the route and its cost after a session that ran past midnight.
The council voted 27 to 18 in favour of the 19-kilometre line, which planners say will \
carry about 90,000 passengers a day when it opens in 2031. Construction is due to start \
next spring, with the first section between Harbour Square and the university campus \
scheduled to run trains by 2029.
"This is the most important decision this council has taken in a generation," Mayor \
Ingrid Solberg told reporters after the vote. "We are finally giving the east side the \
transport it was promised twenty years ago."
Opponents argued that the city cannot afford the project while school buildings need \
repairs and that electric buses would deliver most of the benefits at a fraction of the \
price. Councillor Henrik Dahl, who led the campaign against the line, said his group \
would ask the regional audit office to review the cost estimates.
"The numbers in this plan were written to get a yes, not to survive contact with a \
construction site," Dahl said. "When the bill doubles, the people who voted for this \
tonight will not be the ones paying it."
The national government has pledged to cover 40 percent of the cost, and the city \
expects to borrow the rest over thirty years. Transport officials said ticket revenue \
and higher property tax receipts along the route would repay most of the debt.
Business groups in the harbour district welcomed the decision. The Lakeport Chamber of \
Commerce said the line would bring thousands of jobs within reach of residents who now \
spend more than an hour commuting by bus.
Residents along the planned route remain divided. About 300 people protested outside \
city hall before the vote, some carrying banners against the demolition of a row of \
nineteenth-century warehouses that stand in the way of the new depot.
Solberg said the council would set up a fund to relocate the small businesses that rent \
space in the warehouses and that the facades of two of the buildings would be preserved.
The tender for the main civil works contract is expected to be published in September. \
Three construction groups, including a consortium led by Nordbyg, have said they intend \
to bid.
"""

# The same story as another outlet ran it: its own headline, dateline and credit line,
# curly quotes, different line breaks and a few words edited.
SYNDICATED_COPY = """\
Tram line to airport wins council backing in Lakeport
LAKEPORT (Northwire) — Lakeport’s city council on Tuesday approved a 2.4 billion crown
light rail line linking the eastern harbour district to the airport, ending a decade of
disputes over the route and its cost after a session that ran past midnight.

The council voted 27 to 18 in favour of the 19-kilometre line, which planners say will
carry about 90,000 passengers a day when it opens in 2031. Construction is due to start
next spring, with the first section between Harbour Square and the university campus
scheduled to run trains by 2029.

“This is the most important decision this council has taken in a generation,” Mayor
Ingrid Solberg told journalists after the vote. “We are finally giving the east side the
transport it was promised twenty years ago.”

Opponents argued that the city cannot afford the project while school buildings need
repairs and that electric buses would deliver most of the benefits at a fraction of the
cost. Councillor Henrik Dahl, who led the campaign against the line, said his group
would ask the regional audit office to review the cost estimates.

“The numbers in this plan were written to get a yes, not to survive contact with a
construction site,” Dahl said. “When the bill doubles, the people who voted for this
tonight will not be the ones paying it.”

The national government has pledged to cover 40 percent of the cost, and the city
expects to borrow the rest over thirty years. Transport officials said ticket revenue
and higher property tax receipts along the route would repay most of the debt.

Business groups in the harbour district welcomed the decision. The Lakeport Chamber of
Commerce said the line would bring thousands of jobs within reach of residents who now
spend over an hour commuting by bus.

Residents along the planned route remain divided. About 300 people protested outside
city hall before the vote, some carrying banners against the demolition of a row of
19th-century warehouses that stand in the way of the new depot.

Solberg said the council would set up a fund to relocate the small businesses that rent
space in the warehouses and that the facades of two of the buildings would be preserved.

The tender for the main civil works contract is expected to be published in September.
Three construction groups, including a consortium led by Nordbyg, have said they intend
to bid.

Reporting by Maren Holt; editing by Tomas Berg
"""

# Another outlet's own story on the same vote: same people, figures and a quote.
OTHER_STORY_SAME_EVENT = """\
After twenty years of arguing, Lakeport bets on the tram
The vote came shortly after midnight, and it was not close: 27 councillors for, 18
against. With that, Lakeport committed itself to a 2.4 billion crown light rail line
from the eastern harbour district to the airport, the largest public works project
the city has attempted since the bridge over the sound.

For Mayor Ingrid Solberg the outcome is a personal victory. She campaigned on the tram
four years ago and spent most of her term negotiating the national government's promise
to pay 40 percent of the bill. "This is the most important decision this council has
taken in a generation," she said as she left the chamber, visibly tired.

Henrik Dahl sees it differently. The opposition councillor, a former civil engineer,
has spent months going through the planning documents line by line, and he is convinced
the budget leaves no room for the surprises every large dig produces. He wants the
regional audit office to look at the figures before a single contract is signed, and
he says electric buses could serve the same neighbourhoods within three years.

On the pavement outside city hall the argument was louder. Several hundred protesters,
many of them tenants of the old warehouses where the depot is to be built, chanted
through the evening. A baker who has rented one of the units since 2009 said nobody from
the city had yet told her where she was supposed to go.

Planners expect around 90,000 passengers a day once the full route opens in 2031. The
first trains should run between Harbour Square and the university in 2029, if the
tender for the civil works, due in September, goes to plan.
"""


def _seed_texts() -> dict[str, str]:
    return {path.name: path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt"))}


def test_signature_is_byte_identical_in_another_process() -> None:
    script = (
        "import sys\n"
        "from api.pipeline.near_duplicates import signature\n"
        "sys.stdout.write(signature(sys.stdin.read()).hex())\n"
    )
    results = [
        subprocess.run(
            [sys.executable, "-c", script],
            input=WIRE_STORY,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
            cwd=Path(__file__).resolve().parents[2],
            # Different hash seeds: the signature must not depend on Python's hash().
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    sig = nd.signature(WIRE_STORY)
    assert len(sig) == nd.SIGNATURE_BYTES == 512
    assert bytes.fromhex(results[0]) == bytes.fromhex(results[1]) == sig


def test_signature_pinned_value() -> None:
    # Stored signatures must stay comparable: this changes only with SIGNATURE_VERSION.
    sig = nd.signature("the quick brown fox jumps over the lazy dog again and again")
    assert nd.SIGNATURE_VERSION == 1
    assert sig[:16].hex() == "b44a591f8d619b18a8e8372c53aca30d"


def test_identical_texts() -> None:
    sig = nd.signature(WIRE_STORY)
    assert nd.similarity(sig, nd.signature(WIRE_STORY)) == 1.0
    assert nd.is_near_duplicate(sig, sig)
    keys = nd.band_keys(sig)
    assert len(keys) == nd.BANDS
    assert len(set(keys)) == nd.BANDS
    assert all(len(key) == 19 and key[2] == ":" for key in keys)
    assert [key[:2] for key in keys] == [f"{band:02d}" for band in range(nd.BANDS)]


def test_banding_covers_the_signature() -> None:
    assert nd.BANDS * nd.ROWS == nd.NUM_PERM
    # The candidate threshold (1/b)^(1/r) sits below the duplicate threshold.
    assert (1 / nd.BANDS) ** (1 / nd.ROWS) < nd.DUPLICATE_THRESHOLD


def test_normalisation_ignores_quote_style_case_and_line_breaks() -> None:
    straight = 'He said: "We don\'t know yet."\nThe rest -- later.'
    curly = "HE SAID: “We don’t know\u00ad yet.”  The rest — later."
    assert nd.shingles(straight, 3) == nd.shingles(curly, 3)
    assert nd.words(curly) == ["he", "said", "we", "dont", "know", "yet", "the", "rest", "later"]
    # Compatibility forms (ligatures, fullwidth letters) fold to the plain ones.
    assert nd.words("ﬁnal ＡＢＣ") == ["final", "abc"]


def test_shingles() -> None:
    assert nd.shingles("one two three four five six") == {
        "one two three four five",
        "two three four five six",
    }
    assert nd.shingles("just three words") == {"just three words"}
    assert nd.shingles(" — “” ") == set()
    with pytest.raises(ValueError):
        nd.shingles("text", 0)


def test_syndicated_copy_is_a_near_duplicate() -> None:
    original, copy = nd.fingerprint(WIRE_STORY), nd.fingerprint(SYNDICATED_COPY)
    assert original.eligible and copy.eligible
    assert 350 <= len(nd.words(WIRE_STORY)) <= 450
    exact = _jaccard(nd.shingles(WIRE_STORY), nd.shingles(SYNDICATED_COPY))
    estimate = nd.similarity(original.signature, copy.signature)
    assert exact >= nd.DUPLICATE_THRESHOLD
    assert abs(estimate - exact) < 0.1
    assert nd.is_near_duplicate(original.signature, copy.signature)
    assert nd.is_near_duplicate(copy.signature, original.signature)
    # The DB finds it as a candidate: at least one band key in common.
    assert set(original.band_keys) & set(copy.band_keys)


def test_other_story_on_the_same_event_is_not_a_duplicate() -> None:
    first, second = nd.signature(WIRE_STORY), nd.signature(OTHER_STORY_SAME_EVENT)
    shared = nd.shingles(WIRE_STORY) & nd.shingles(OTHER_STORY_SAME_EVENT)
    assert shared  # they do share phrases (the mayor's quote) ...
    assert nd.similarity(first, second) < 0.2  # ... but are different articles
    assert not nd.is_near_duplicate(first, second)
    assert not set(nd.band_keys(first)) & set(nd.band_keys(second))


def test_seed_articles_are_pairwise_distinct() -> None:
    texts = _seed_texts()
    assert len(texts) == 5
    signatures = {name: nd.signature(text) for name, text in texts.items()}
    scores = {
        (a, b): nd.similarity(signatures[a], signatures[b])
        for a, b in itertools.combinations(sorted(signatures), 2)
    }
    for (a, b), score in scores.items():
        assert not nd.is_near_duplicate(signatures[a], signatures[b]), (a, b, score)
    assert max(scores.values()) < 0.5


@pytest.mark.parametrize("text", ["", "Read more.", "Photo: Maren Holt / Northwire via Lakeport"])
def test_too_short_texts_are_never_indexed(text: str) -> None:
    fp = nd.fingerprint(text)
    assert fp.shingle_count == nd.shingle_count(text) < nd.MIN_SHINGLES
    assert not fp.eligible
    assert fp.band_keys == ()
    # The signature still exists and is comparable.
    assert fp.signature == nd.signature(text)
    assert len(fp.signature) == nd.SIGNATURE_BYTES
    assert len(nd.band_keys(fp.signature)) == nd.BANDS


def test_empty_texts_are_nobodys_duplicate() -> None:
    empty = nd.signature("")
    assert nd.is_empty_signature(empty)
    assert nd.similarity(empty, nd.signature("  “ ” ")) == 1.0
    assert not nd.is_near_duplicate(empty, nd.signature("  “ ” "))
    assert not nd.is_empty_signature(nd.signature("Read more."))


def test_threshold_boundary_text_has_band_keys() -> None:
    text = " ".join(f"word{i}" for i in range(nd.MIN_SHINGLES + nd.SHINGLE_SIZE - 1))
    fp = nd.fingerprint(text)
    assert fp.shingle_count == nd.MIN_SHINGLES
    assert fp.eligible
    assert len(fp.band_keys) == nd.BANDS


def test_malformed_signatures_are_rejected() -> None:
    with pytest.raises(ValueError):
        nd.band_keys(b"\x00" * 100)
    with pytest.raises(ValueError):
        nd.similarity(nd.signature(WIRE_STORY), b"")


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)
