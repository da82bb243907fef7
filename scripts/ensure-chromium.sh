#!/usr/bin/env bash
# Debian's Chromium for the end-to-end tests and the bench's browser figures: Playwright cannot
# download its own browser on this network, so it is installed from the distribution when missing.
set -euo pipefail
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Chromium from Debian (Playwright cannot download its own browser here)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
