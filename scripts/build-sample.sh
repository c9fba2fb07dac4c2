#!/usr/bin/env bash
# Install site-builder in .venv and build the bundled sample site into output/.
#   bash scripts/build-sample.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/site-builder build
