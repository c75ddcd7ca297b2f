"""Near-duplicate (syndicated copy) detection with MinHash signatures and LSH band keys.

The same wire story carried by several outlets differs only in its headline, dateline,
credit footer, quote-mark style, line breaks and a few edited words. Such a copy is
linked to the article it copies (``duplicate_of``) instead of doubling every statement.

This module is pure and DB-free. The caller:

1. computes ``fp = fingerprint(text)`` and stores ``fp.signature`` on the article row
   and ``fp.band_keys`` in the indexed band table;
2. finds candidates as the articles sharing at least one band key (LSH banding);
3. confirms each candidate with ``is_near_duplicate(fp.signature, candidate_signature)``.

Too-short texts (fewer than ``MIN_SHINGLES`` shingles: briefs, captions, "Read more")
still get a signature, but ``fingerprint`` gives them no band keys, so they are never
candidates and never find any; ``is_near_duplicate`` also refuses the signature of a
text with no shingles at all. Use ``shingle_count`` / ``Fingerprint.eligible`` to tell.

Signatures are ``NUM_PERM`` unsigned 32-bit MinHash values, little-endian (512 bytes).
They are deterministic across processes and machines: datasketch's "affine32"
permutation scheme with a fixed seed (permutation parameters drawn from NumPy's legacy
``RandomState``, whose stream NumPy keeps stable) over SHA-1 based 32-bit shingle
hashes, never Python's per-process randomised ``hash()``. Changing any parameter here
(shingle size, normalisation, seed, scheme, bands) makes stored signatures and band
keys incomparable with new ones: bump ``SIGNATURE_VERSION`` and recompute them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

# datasketch ships no type stubs: its two names are used only in _minhash_values below.
from datasketch import MinHash  # type: ignore[import-untyped]
from datasketch.hashfunc import sha1_hash32  # type: ignore[import-untyped]

SIGNATURE_VERSION: Final = 1
NUM_PERM: Final = 128
SEED: Final = 1
SCHEME: Final = "affine32"  # pinned: datasketch 1.x used "legacy", incomparable with it
SHINGLE_SIZE: Final = 5  # words per shingle
# LSH banding: the signature is cut into BANDS bands of ROWS values; two articles are
# candidates when all ROWS values of at least one band agree. For Jaccard similarity s
# that happens with probability 1 - (1 - s**ROWS)**BANDS, an S-curve whose steepest
# point sits near (1/BANDS)**(1/ROWS) = (1/32)**(1/4) ≈ 0.42, well below
# DUPLICATE_THRESHOLD, so copies are almost never missed (s = 0.7: 99.98% found) while
# unrelated texts rarely collide (s = 0.1: 0.3%); the candidates in between cost one
# signature comparison each and are weeded out by is_near_duplicate.
BANDS: Final = 32
ROWS: Final = 4
# Estimated Jaccard similarity of the shingle sets at or above which a text is a
# near duplicate (a syndicated copy) of another. A wire story re-headlined, re-datelined,
# with a footer added and a few words edited measures about 0.84 (estimate's standard
# error at 128 permutations: about 0.035); distinct stories on the same event, and the
# five seed articles, stay below 0.06.
DUPLICATE_THRESHOLD: Final = 0.7
# Below this many shingles a text is too short to be called anyone's copy: two
# briefs or captions can agree word for word without one copying the other.
MIN_SHINGLES: Final = 10

SIGNATURE_BYTES: Final = NUM_PERM * 4
_DTYPE: Final = np.dtype("<u4")
_EMPTY_VALUE: Final = 0xFFFFFFFF  # datasketch's initial value: no shingle hashed yet

if BANDS * ROWS != NUM_PERM:  # pragma: no cover - a configuration error
    raise ValueError("BANDS * ROWS must equal NUM_PERM")

# Typographic variants that NFKC leaves alone: curly, low and prime quote marks,
# guillemets and apostrophes are dropped (an apostrophe inside a word must not split
# it: "don’t" and "don't" both read "dont").
_QUOTE_MARKS: Final = dict.fromkeys(
    map(ord, "'\"`´‘’‚‛“”„‟′″‵‶«»‹›＇＂"),
    None,
)
_WORD: Final = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Text reduced to what a syndicated copy keeps: NFKC, casefolded, without quote
    marks or invisible format characters (soft hyphens, zero-width spaces)."""
    # Quote marks go before NFKC (which splits "´" into a space and an accent) and
    # after it (which turns fullwidth marks into ASCII ones).
    text = unicodedata.normalize("NFKC", text.translate(_QUOTE_MARKS))
    text = text.casefold().translate(_QUOTE_MARKS)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def words(text: str) -> list[str]:
    """The words of the normalised text: punctuation and whitespace are only separators."""
    return _WORD.findall(normalise(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """The set of overlapping ``size``-word n-grams of the normalised text.

    A non-empty text shorter than ``size`` words is one shingle; an empty one has none.
    """
    if size < 1:
        raise ValueError("shingle size must be positive")
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def shingle_count(text: str) -> int:
    """How many distinct shingles the text has; below ``MIN_SHINGLES`` it is too short."""
    return len(shingles(text))


def _minhash_values(items: set[str]) -> npt.NDArray[np.uint32]:
    """The one place datasketch (untyped) is called."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=sha1_hash32, scheme=SCHEME)
    # Sorted: the minimum does not depend on order, but a fixed order costs nothing.
    minhash.update_batch([item.encode("utf-8") for item in sorted(items)])
    values: npt.NDArray[np.uint32] = np.asarray(minhash.digest(), dtype=np.uint32)
    return values


def signature(text: str) -> bytes:
    """The MinHash signature of the text's shingles: ``NUM_PERM`` little-endian uint32s."""
    return _minhash_values(shingles(text)).astype(_DTYPE).tobytes()


def _values(sig: bytes) -> npt.NDArray[np.uint32]:
    if len(sig) != SIGNATURE_BYTES:
        raise ValueError(f"a signature has {SIGNATURE_BYTES} bytes, got {len(sig)}")
    return np.frombuffer(sig, dtype=_DTYPE)


def is_empty_signature(sig: bytes) -> bool:
    """Whether the signature is that of a text without a single shingle."""
    return bool(np.all(_values(sig) == _EMPTY_VALUE))


def band_keys(sig: bytes) -> list[str]:
    """One short stable key per band (``"07:3f2a…"``, 19 characters) for an indexed lookup.

    Always ``BANDS`` keys: whether a text is long enough to be indexed is decided from
    its shingle count (see ``fingerprint``), which the signature does not record.
    """
    raw = _values(sig).tobytes()
    step = ROWS * _DTYPE.itemsize
    return [
        f"{band:02d}:{hashlib.sha1(raw[band * step : (band + 1) * step]).hexdigest()[:16]}"
        for band in range(BANDS)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (share of equal values)."""
    return float(np.count_nonzero(_values(a) == _values(b))) / NUM_PERM


def is_near_duplicate(a: bytes, b: bytes) -> bool:
    """Whether one text is a near duplicate of the other (estimated Jaccard at or above
    ``DUPLICATE_THRESHOLD``). Signatures of texts without shingles are nobody's copy;
    other too-short texts are kept out earlier, by having no band keys."""
    if is_empty_signature(a) or is_empty_signature(b):
        return False
    return similarity(a, b) >= DUPLICATE_THRESHOLD


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the caller stores for one article text."""

    signature: bytes
    shingle_count: int
    # Empty when the text is too short to be anyone's near duplicate.
    band_keys: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        """Long enough to be matched: it is indexed and may be linked as a duplicate."""
        return self.shingle_count >= MIN_SHINGLES


def fingerprint(text: str) -> Fingerprint:
    """Signature, shingle count and band keys (none below ``MIN_SHINGLES``) of a text."""
    items = shingles(text)
    sig = _minhash_values(items).astype(_DTYPE).tobytes()
    keys = tuple(band_keys(sig)) if len(items) >= MIN_SHINGLES else ()
    return Fingerprint(signature=sig, shingle_count=len(items), band_keys=keys)
