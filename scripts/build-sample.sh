#!/usr/bin/env bash
# Install site-builder in .venv and build the bundled sample site into output/.
#   bash scripts/build-sample.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
.venv/bin/site-builder build
# The command is in the venv, not on the PATH (issue #13, finding 5): say where, and how to have it.
cat <<MSG

site-builder is installed in $PWD/.venv/bin/site-builder (not on your PATH yet):
  source .venv/bin/activate      # then \`site-builder\` works in this shell
  .venv/bin/site-builder --help  # or call it by its path
MSG
