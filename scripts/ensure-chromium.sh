#!/usr/bin/env bash
# Make sure Debian's Chromium is present for the map's browser tests (Playwright drives it
# through executable_path; no browser is downloaded). Installs the 'chromium' package when
# missing and we are root on Debian; otherwise says how, and the browser tests skip.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Chromium (Debian package chromium) for the map's browser tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium
else
    echo "Chromium not found; install Debian's 'chromium' package (or set" \
         "FRONTLINES_TEST_CHROMIUM) to run the browser tests" >&2
fi
