#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing. Idempotent.
# Services that packages would start on their own (nginx on :80, the distribution's
# PostgreSQL cluster) are kept from starting: the project runs its own instances.
set -euo pipefail

PKGS=(
  build-essential pkg-config clang
  libfcgi-dev spawn-fcgi libpq-dev libjson-c-dev libcurl4-openssl-dev libcrypt-dev
  libctemplate-dev libssl-dev libcsv-dev libcmocka-dev
  postgresql postgresql-contrib nginx
  libphonenumber-dev
  tidy wrk openssl curl python3 python3-pytest python3-requests python3-psycopg2
  chromium chromium-driver python3-selenium
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run as root to install them" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
# Keep postinst scripts from starting services (exit 101 = action forbidden).
made_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  made_policy=1
fi
trap '[ $made_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
