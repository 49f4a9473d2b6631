#!/usr/bin/env bash
# Debian's chromium for tools/browser_check.py (Playwright's own browser download is not used).
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
