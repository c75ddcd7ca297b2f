"""Read article files and folders into RawArticle values.

Every bad input becomes an InputError and the iteration goes on: one broken file in a
batch of hundreds must not cost the other articles.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from api.pipeline.types import InputError, RawArticle

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md"})
MANIFEST_NAME = "manifest.json"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Text pasted from a page may carry a few stray control characters; a file where this
# share of the characters are controls is a binary file that happens to decode.
BINARY_CONTROL_SHARE = 0.3


class ManifestEntry(msgspec.Struct, frozen=True):
    """What the feed supplied for one file; absent or null fields were not supplied."""

    file: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None


class Manifest(msgspec.Struct, frozen=True):
    articles: list[ManifestEntry]


def read_manifest(path: Path) -> dict[str, ManifestEntry] | InputError:
    """Entries of a manifest by file name, or the one-line reason it cannot be used."""
    try:
        manifest = msgspec.json.decode(path.read_bytes(), type=Manifest)
    except OSError as exc:
        return InputError(item=str(path), reason=f"unreadable manifest: {exc.strerror}")
    except msgspec.DecodeError as exc:  # also covers ValidationError (wrong shape)
        return InputError(item=str(path), reason=f"malformed manifest: {exc}")
    entries: dict[str, ManifestEntry] = {}
    for entry in manifest.articles:
        if entry.file in entries:
            return InputError(
                item=str(path), reason=f"malformed manifest: {entry.file!r} is listed twice"
            )
        entries[entry.file] = entry
    return entries


def find_article_files(folder: Path) -> list[Path]:
    """Article files under ``folder``, recursively, sorted, hidden files and folders skipped."""
    found: list[Path] = []
    for current, subfolders, files in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found.extend(
            Path(current) / name
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES
        )
    return sorted(found, key=lambda path: path.relative_to(folder).parts)


def _mostly_control_characters(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    return controls > BINARY_CONTROL_SHARE * len(text)


def decode_article(data: bytes) -> str:
    """The text of an article file; ValueError with a one-line reason when it has none."""
    if data.startswith(_UTF16_BOMS):
        raise ValueError("UTF-16 text; articles must be UTF-8")
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes)")
    body = data.removeprefix(_UTF8_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(body)  # an offset into the file, BOM included
        raise ValueError(
            f"invalid UTF-8 at byte offset {offset} (byte 0x{body[exc.start]:02x})"
        ) from None
    if not text.strip():
        raise ValueError("empty file" if not text else "file contains only whitespace")
    if _mostly_control_characters(text):
        raise ValueError("binary file (mostly control characters)")
    return text


def read_article(path: Path, entry: ManifestEntry | None) -> RawArticle | InputError:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return InputError(item=str(path), reason=f"unreadable file: {exc.strerror or exc}")
    try:
        text = decode_article(data)
    except ValueError as exc:
        return InputError(item=str(path), reason=str(exc))
    if entry is None:
        return RawArticle(origin=str(path), raw_text=text)
    return RawArticle(
        origin=str(path),
        raw_text=text,
        url=entry.url,
        outlet=entry.outlet,
        title=entry.title,
        published=entry.published,
    )


class _Manifests:
    """Each folder's manifest, read once per run; a broken one is reported once."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, dict[str, ManifestEntry] | InputError | None] = {}

    def load(self, folder: Path) -> InputError | None:
        """Read the folder's manifest if not done yet; its error, the first time only."""
        if folder in self._by_folder:
            return None
        path = folder / MANIFEST_NAME
        loaded = read_manifest(path) if path.is_file() else None
        self._by_folder[folder] = loaded
        return loaded if isinstance(loaded, InputError) else None

    def entry_for(self, path: Path) -> ManifestEntry | None:
        entries = self._by_folder.get(path.parent)
        return entries.get(path.name) if isinstance(entries, dict) else None


def _read_file(path: Path, manifests: _Manifests) -> Iterator[RawArticle | InputError]:
    if error := manifests.load(path.parent):
        yield error
    yield read_article(path, manifests.entry_for(path))


def read_inputs(paths: Sequence[Path]) -> Iterator[RawArticle | InputError]:
    """Articles from files and folders, in order; an InputError for each bad input."""
    manifests = _Manifests()
    for path in paths:
        if path.is_dir():
            if error := manifests.load(path):  # reported even when no article uses it
                yield error
            for file in find_article_files(path):
                yield from _read_file(file, manifests)
        elif not path.exists():
            yield InputError(item=str(path), reason="no such file or folder")
        elif path.name == MANIFEST_NAME:
            yield InputError(
                item=str(path),
                reason="a manifest supplies metadata for its folder; it is not an article",
            )
        else:
            yield from _read_file(path, manifests)
