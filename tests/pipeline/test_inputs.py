"""read_inputs: files, folders, manifests, and bad inputs that must not stop the run."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.pipeline.inputs import read_inputs
from api.pipeline.types import InputError, RawArticle

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE = "Harbour Strike Ends\n\nDock workers returned on Monday, the union said.\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def manifest_json(*entries: str) -> str:
    return '{"articles": [' + ", ".join(entries) + "]}"


def only_error(path: Path) -> InputError:
    items = list(read_inputs([path]))
    assert len(items) == 1 and isinstance(items[0], InputError), items
    assert items[0].item == str(path)
    return items[0]


def test_seed_folder_reads_five_articles_with_their_manifest() -> None:
    items = list(read_inputs([SEEDS]))
    assert all(isinstance(item, RawArticle) for item in items)
    articles = [item for item in items if isinstance(item, RawArticle)]
    assert [Path(a.origin).name[:3] for a in articles] == ["000", "001", "002", "003", "004"]
    assert articles[0].outlet == "Ground News"
    assert [a.outlet for a in articles[1:]] == [None] * 4
    assert all(a.title is None and a.published is None and a.url is None for a in articles)
    assert articles[2].raw_text == (SEEDS / "002_6abd8a862fe6f02b.txt").read_text("utf-8")


def test_missing_path(tmp_path: Path) -> None:
    assert only_error(tmp_path / "nope.txt").reason == "no such file or folder"


def test_item_is_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert list(read_inputs([Path("gone/nope.txt")])) == [
        InputError(item="gone/nope.txt", reason="no such file or folder")
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n  ", "file contains only whitespace"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"Headline\x00\x01\x02more", "binary file (contains NUL bytes)"),
        (bytes(range(1, 32)) * 4 + b"ab", "binary file (mostly control characters)"),
        (b"Good text\n\xff more", "invalid UTF-8 at byte offset 10 (byte 0xff)"),
        (b"\xef\xbb\xbfOK \xc3(", "invalid UTF-8 at byte offset 6 (byte 0xc3)"),
        ("Headline".encode("utf-16"), "UTF-16 text; articles must be UTF-8"),
    ],
)
def test_bad_file(tmp_path: Path, content: bytes, reason: str) -> None:
    assert only_error(write(tmp_path / "bad.txt", content)).reason == reason


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = write(tmp_path / "locked.txt", ARTICLE)
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert only_error(locked).reason == "unreadable file: Permission denied"


def test_bom_is_stripped_and_line_endings_left_to_cleaning(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbfHeadline Here\r\nBody.\r\n")
    assert list(read_inputs([path])) == [
        RawArticle(origin=str(path), raw_text="Headline Here\r\nBody.\r\n")
    ]


def test_bad_files_do_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", b"\x00\x00binary")
    write(tmp_path / "c.txt", b"caf\xe9")
    write(tmp_path / "d.txt", ARTICLE)
    items = list(read_inputs([tmp_path / "missing", tmp_path, tmp_path / "d.txt"]))
    assert [type(item).__name__ for item in items] == [
        "InputError",
        "RawArticle",
        "InputError",
        "InputError",
        "RawArticle",
        "RawArticle",
    ]
    assert [getattr(item, "origin", None) or getattr(item, "item", None) for item in items] == [
        str(tmp_path / name) for name in ("missing", "a.txt", "b.txt", "c.txt", "d.txt", "d.txt")
    ]


def test_folder_is_recursive_sorted_and_skips_hidden_and_other_files(tmp_path: Path) -> None:
    for name in (
        "b.md",
        "a.txt",
        "sub/c.text",
        "sub/deeper/d.TXT",
        ".hidden.txt",
        ".git/e.txt",
        "notes.json",
        "image.png",
        "z.txt",
    ):
        write(tmp_path / name, ARTICLE)
    origins = [item.origin for item in read_inputs([tmp_path]) if isinstance(item, RawArticle)]
    assert origins == [
        str(tmp_path / name)
        for name in ("a.txt", "b.md", "sub/c.text", "sub/deeper/d.TXT", "z.txt")
    ]


def test_folder_manifest_supplies_metadata_by_file_name(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "sub/a.txt", ARTICLE)  # same name, other folder: not this manifest's
    write(
        tmp_path / "manifest.json",
        manifest_json(
            '{"file": "a.txt", "url": "https://example.org/a", "outlet": "Example Times", '
            '"title": "Harbour Strike Ends", "published": "2026-01-07"}',
            '{"file": "not-here.txt", "outlet": "Nobody"}',
        ),
    )
    items = list(read_inputs([tmp_path]))
    assert items == [
        RawArticle(
            origin=str(tmp_path / "a.txt"),
            raw_text=ARTICLE,
            url="https://example.org/a",
            outlet="Example Times",
            title="Harbour Strike Ends",
            published="2026-01-07",
        ),
        RawArticle(origin=str(tmp_path / "b.txt"), raw_text=ARTICLE),
        RawArticle(origin=str(tmp_path / "sub/a.txt"), raw_text=ARTICLE),
    ]


def test_file_given_directly_picks_up_its_folders_manifest(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "manifest.json", manifest_json('{"file": "a.txt", "outlet": "Example"}'))
    [article] = read_inputs([path])
    assert isinstance(article, RawArticle) and article.outlet == "Example"


@pytest.mark.parametrize(
    ("manifest", "reason_part"),
    [
        ('{"articles": [', "malformed manifest: Input data was truncated"),
        ('{"articles": {"file": "a.txt"}}', "Expected `array`, got `object` - at `$.articles`"),
        ('{"articles": [{"outlet": "X"}]}', "missing required field `file`"),
        (manifest_json('{"file": "a.txt"}', '{"file": "a.txt"}'), "'a.txt' is listed twice"),
    ],
)
def test_malformed_manifest_is_reported_once_and_files_are_still_read(
    tmp_path: Path, manifest: str, reason_part: str
) -> None:
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "manifest.json", manifest)
    items = list(read_inputs([tmp_path / "a.txt", tmp_path, tmp_path / "b.txt"]))
    errors = [item for item in items if isinstance(item, InputError)]
    assert len(errors) == 1
    assert errors[0].item == str(tmp_path / "manifest.json")
    assert reason_part in errors[0].reason and "\n" not in errors[0].reason
    articles = [item for item in items if isinstance(item, RawArticle)]
    assert len(articles) == 4
    assert all(a.outlet is None and a.title is None for a in articles)


def test_manifest_is_never_ingested(tmp_path: Path) -> None:
    manifest = write(tmp_path / "manifest.json", manifest_json())
    assert list(read_inputs([tmp_path])) == []
    assert "not an article" in only_error(manifest).reason
