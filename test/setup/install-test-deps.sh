#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine of this project's kind: npm packages (with the pinned
# Node 24), then every step in test/setup/steps/ in name order (Debian packages, test services, .NET restore,
# PowerShell). Idempotent: a step that finds its tool already in place does nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
npm ci --no-audit --no-fund
for step in test/setup/steps/*.sh; do
  [ -e "$step" ] || continue
  echo "== setup: $step"
  bash "$step"
done
