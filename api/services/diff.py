"""Word-level differences between a claim's canonical text and one appearance of it."""

from __future__ import annotations

import difflib

from schemas import DiffOp, WordDiff


def word_diff(canonical: str, appearance: str) -> list[WordDiff]:
    """Edit script turning ``canonical`` into ``appearance``, on whitespace-separated words.

    A replacement is reported as a DELETE of the canonical words followed by an INSERT of
    the appearance's words, so clients only need three operations. Whitespace itself is
    not compared: re-wrapped text is not a change of wording.
    """
    before, after = canonical.split(), appearance.split()
    # autojunk would treat frequent words ("the") as noise in longer texts.
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    ops: list[WordDiff] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordDiff(op=DiffOp.EQUAL, text=" ".join(before[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordDiff(op=DiffOp.DELETE, text=" ".join(before[i1:i2])))
        if j2 > j1:
            ops.append(WordDiff(op=DiffOp.INSERT, text=" ".join(after[j1:j2])))
    return ops
