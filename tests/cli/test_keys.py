"""``statements keys``: the token is printed once and only its hash is stored."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.cli import main
from api.storage.engine import make_engine
from api.storage.models import ApiKeyRow


def test_create_list_revoke(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", url, "migrate"]).exit_code == 0
    created = runner.invoke(
        main, ["--database-url", url, "keys", "create", "--name", "desk", "--scope", "ingest"]
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("stmt_")
    engine = make_engine(url)
    with Session(engine) as session:
        row = session.scalars(select(ApiKeyRow)).one()
        assert row.scopes == ["ingest"]
        assert token.split("_", 2)[2] not in row.secret_hash  # the secret is not stored
    engine.dispose()
    listed = runner.invoke(main, ["--database-url", url, "keys", "list"])
    assert "desk\tingest" in listed.stdout and token not in listed.stdout
    assert runner.invoke(main, ["--database-url", url, "keys", "revoke", "1"]).exit_code == 0
    again = runner.invoke(main, ["--database-url", url, "keys", "revoke", "1"])
    assert again.exit_code == 1 and "no active key" in again.output
    bad = runner.invoke(
        main, ["--database-url", url, "keys", "create", "--name", "x", "--scope", "root"]
    )
    assert bad.exit_code == 2 and "unknown scope" in bad.output
