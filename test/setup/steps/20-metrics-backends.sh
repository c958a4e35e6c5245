#!/usr/bin/env bash
# Metrics backends that the export tests start themselves on loopback (test/helpers/metrics-backends.ts):
#   VictoriaMetrics  Debian trixie package `victoria-metrics`  -> .tools/victoria-metrics/usr/bin/victoria-metrics
#   Prometheus       Debian bookworm package `prometheus`      -> .tools/prometheus/usr/bin/{prometheus,promtool}
# Both are only unpacked (`apt-get download` + `dpkg -x`), never installed as system services. trixie is added
# as an extra apt source on the machine's own mirror, pinned to priority 1 so nothing else is upgraded from it.
# Idempotent: a binary already in place is kept.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root="$PWD/.tools"
mkdir -p "$root"

vm_bin="$root/victoria-metrics/usr/bin/victoria-metrics"
prom_bin="$root/prometheus/usr/bin/prometheus"
if [ -x "$vm_bin" ] && [ -x "$prom_bin" ]; then
  echo "metrics backends already in $root"
  exit 0
fi

apt_retry() {
  # Another step (or apt's daily job) may hold the lock for a moment.
  for i in 1 2 3 4 5 6 7 8 9 10; do
    if "$@"; then return 0; fi
    echo "apt busy or failed; retry $i" >&2
    sleep 6
  done
  return 1
}

if [ ! -x "$vm_bin" ]; then
  mirror="$(grep -rhoE '^URIs: *https?://[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed -E 's/^URIs: *//')"
  if [ -z "$mirror" ]; then
    mirror="$(grep -rhoE '^deb +https?://[^ ]+/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 | awk '{print $2}')"
  fi
  mirror="${mirror:-http://deb.debian.org/debian}"
  if [ ! -e /etc/apt/sources.list.d/wfp-trixie.sources ]; then
    cat > /etc/apt/sources.list.d/wfp-trixie.sources <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    cat > /etc/apt/preferences.d/wfp-trixie <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 1
PIN
  fi
  apt_retry apt-get update -qq
  tmp="$(mktemp -d)"; chmod 755 "$tmp"
  (cd "$tmp" && apt_retry apt-get download -qq victoria-metrics/trixie)
  rm -rf "$root/victoria-metrics"
  dpkg -x "$tmp"/victoria-metrics_*.deb "$root/victoria-metrics"
  rm -rf "$tmp"
fi

if [ ! -x "$prom_bin" ]; then
  apt-cache policy prometheus | grep -q Candidate || apt_retry apt-get update -qq
  tmp="$(mktemp -d)"; chmod 755 "$tmp"
  (cd "$tmp" && apt_retry apt-get download -qq prometheus/bookworm)
  rm -rf "$root/prometheus"
  dpkg -x "$tmp"/prometheus_*.deb "$root/prometheus"
  rm -rf "$tmp"
fi

"$vm_bin" -version
"$prom_bin" --version | head -1
