#!/usr/bin/env bash
# Real backends and definitions the export tests use, all started by the tests themselves on loopback
# (test/integration/metrics-backends.ts, test/helpers/otlp-receiver.ts):
#   VictoriaMetrics   Debian trixie `victoria-metrics`     -> .tools/victoria-metrics/usr/bin/victoria-metrics
#   Prometheus        Debian bookworm `prometheus`         -> .tools/prometheus/usr/bin/{prometheus,promtool}
#   OTLP .proto files Debian trixie `opentelemetry-proto`  -> .tools/opentelemetry-proto/usr/include/opentelemetry/proto
# Each is only unpacked (`apt-get download` + `dpkg -x`), never installed as a system service. trixie is added
# as an extra apt source on the machine's own mirror, pinned to priority 1 so nothing else is upgraded from it.
# Idempotent: what is already unpacked is kept.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root="$PWD/.tools"
mkdir -p "$root"

apt_retry() {
  # Another step (or apt's daily job) may hold the lock for a moment.
  for i in 1 2 3 4 5 6 7 8 9 10; do
    if "$@"; then return 0; fi
    echo "apt busy or failed; retry $i" >&2
    sleep 6
  done
  return 1
}

add_trixie() {
  [ -e /etc/apt/sources.list.d/wfp-trixie.sources ] && return 0
  local mirror
  mirror="$(grep -rhoE '^URIs: *https?://[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed -E 's/^URIs: *//')"
  if [ -z "$mirror" ]; then
    mirror="$(grep -rhoE '^deb +https?://[^ ]+/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 | awk '{print $2}')"
  fi
  mirror="${mirror:-http://deb.debian.org/debian}"
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
}

# unpack PACKAGE/RELEASE DIR CHECK-PATH
unpack() {
  local spec="$1" dir="$root/$2" check="$3" tmp
  if [ -e "$dir/$check" ]; then return 0; fi
  tmp="$(mktemp -d)"
  chmod 755 "$tmp"
  (cd "$tmp" && apt_retry apt-get download -qq -o APT::Sandbox::User=root "$spec")
  rm -rf "$dir"
  dpkg -x "$tmp"/*.deb "$dir"
  rm -rf "$tmp"
  echo "unpacked $spec into $dir"
}

need_update=0
[ -x "$root/victoria-metrics/usr/bin/victoria-metrics" ] || need_update=1
[ -x "$root/prometheus/usr/bin/prometheus" ] || need_update=1
[ -e "$root/opentelemetry-proto/usr/include/opentelemetry/proto/logs/v1/logs.proto" ] || need_update=1
if [ "$need_update" = 1 ]; then
  add_trixie
  apt_retry apt-get update -qq
fi

unpack victoria-metrics/trixie victoria-metrics usr/bin/victoria-metrics
unpack prometheus/bookworm prometheus usr/bin/prometheus
unpack opentelemetry-proto/trixie opentelemetry-proto usr/include/opentelemetry/proto/logs/v1/logs.proto

"$root/prometheus/usr/bin/prometheus" --version 2>&1 | head -1
ls "$root/victoria-metrics/usr/bin/victoria-metrics" "$root/opentelemetry-proto/usr/include/opentelemetry/proto/collector/logs/v1/logs_service.proto"
