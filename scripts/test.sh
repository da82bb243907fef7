#!/usr/bin/env bash
# Every test: type check, lint (with the layer rules in eslint.config.mjs), unit tests on real SQLite files, then end-to-end in Debian's Chromium
# against the production build on a fresh database.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-chromium.sh

npx tsc --noEmit
npx eslint --max-warnings 0 .
npx prettier --check .
npx vitest run
npx playwright test
