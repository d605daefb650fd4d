#!/bin/sh
# Installs everything the test suite needs, on a fresh Debian machine or an existing one:
# Debian's chromium and a CJK font (never a browser download), Java for the Nu HTML Checker,
# the Python test tools, and the npm test tools (axe-core, vnu-jar). Safe to run again.
set -eu
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$missing fonts-noto-cjk"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
python -m pip install -q -r requirements-dev.txt
npm ci --prefix tests --no-audit --no-fund --loglevel=error
