#!/bin/sh
# Everything the test suite needs on a fresh machine: the package with its test tools, and Debian's Chromium for the browser tests.
set -eu
if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install -q -e '.[test]'
