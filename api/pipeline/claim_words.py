"""Word lists for the claim normaliser (api/pipeline/claim_text.py)."""

from __future__ import annotations

import tomllib

import msgspec

from api.pipeline.lexicon import DATA_DIR


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words: they say nothing about what a statement asserts. "us" is not here: the
# normaliser spells the United States that way.

STOPWORDS = _words(
    """
    a an the and or but if of to in on at by for with from as that this these those it its
    is are was were be been being has have had do does did done will would could should can may
    might must shall not no than then so such there their they them he she his her him we
    our you your i me my which who whom whose what when where while about after before over
    under into also only just more most very himself herself itself themselves ourselves
    yourself myself it's that's there's here up out all any some each other both either
    how why because until though although yet still even ever much many own same too
    """
)

# Words that turn a statement into its denial: a statement and its denial are not one claim.
NEGATIONS = _words("not no never nothing none nobody neither nor without cannot")


def _pairs(text: str) -> dict[str, str]:
    return {word: base for word, base in (pair.split(":") for pair in text.split())}


# Irregular verb and noun forms, to their base form (which is then stemmed as usual).
IRREGULAR = _pairs(
    """
    said:say says:say told:tell led:lead made:make paid:pay held:hold won:win lost:lose
    took:take taken:take gave:give given:give went:go gone:go sent:send kept:keep
    began:begin begun:begin brought:bring thought:think bought:buy met:meet knew:know
    known:know saw:see seen:see came:come became:become fell:fall fallen:fall rose:rise
    risen:rise spoke:speak spoken:speak wrote:write written:write chose:choose
    chosen:choose ran:run got:get gotten:get struck:strike shown:show drew:draw
    drawn:draw grew:grow grown:grow children:child men:man women:woman
    """
)

# Adjectives of place, to the place: "French troops" and "France's troops" meet.
DEMONYMS = _pairs(
    """
    french:france british:uk russian:russia ukrainian:ukraine german:germany
    american:us chinese:china european:europe mexican:mexico israeli:israel
    iranian:iran turkish:turkey türkiye:turkey palestinian:palestine syrian:syria
    polish:poland
    """
)


def _lexicon() -> dict[str, str]:
    with (DATA_DIR / "claim_words.toml").open("rb") as handle:
        return msgspec.convert(tomllib.load(handle), dict[str, str])


# Derived forms to their base ("verification" -> "verify"), and groups of near synonyms
# (one line each, the first word the group's form): api/pipeline/data/claim_words.toml.
_DATA = _lexicon()
DERIVED = _pairs(_DATA["derived"])
SYNONYM_GROUPS = tuple(
    tuple(line.split()) for line in _DATA["synonyms"].splitlines() if line.strip()
)
