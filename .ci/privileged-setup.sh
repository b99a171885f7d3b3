#!/usr/bin/env bash
# Prepares a Debian 12 machine for the privileged-pass tests (__tests__/helpers/privileged.ts):
# installs sudo when it is missing, and makes sure sudo reads /etc/sudoers.d (Debian's
# /etc/sudoers does, with @includedir; the line is only added to a sudoers that lacks it).
# Nothing else machine-wide: the test users (sp-sudo, sp-docker, sp-plain), their sudo rules and
# the node image are made by the test helper on demand and the rules are removed after each use.
# Runs as root, reads no stdin, and is idempotent. Run it after .ci/docker-setup.sh (the docker
# group the helper puts sp-docker in comes with docker.io).
set -euo pipefail

say() { printf '[privileged-setup] %s\n' "$*"; }
die() { printf '[privileged-setup] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run this as root (it installs packages)"

# ---- sudo ------------------------------------------------------------------------------------
# visudo comes with sudo: the helper checks every rule it writes with `visudo -cf`.
if command -v sudo >/dev/null && command -v visudo >/dev/null; then
  say "sudo already installed: $(sudo -V | head -n 1)"
else
  say "installing sudo"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q </dev/null
  apt-get install -y -q --no-install-recommends sudo </dev/null
fi
command -v sudo >/dev/null || die "no sudo on PATH after installing it"
command -v visudo >/dev/null || die "no visudo on PATH after installing sudo"
sudo_bin="$(command -v sudo)"
# A non-root user can only use sudo through its setuid bit (lost, e.g., on a nosuid copy).
[ -u "$sudo_bin" ] || die "$sudo_bin is not setuid root"

# ---- /etc/sudoers.d --------------------------------------------------------------------------
[ -d /etc/sudoers.d ] || install -d -m 0750 /etc/sudoers.d
if grep -Eq '^[[:space:]]*[@#]includedir[[:space:]]+/etc/sudoers\.d[[:space:]]*$' /etc/sudoers; then
  say "/etc/sudoers includes /etc/sudoers.d"
else
  say "adding '@includedir /etc/sudoers.d' to /etc/sudoers"
  tmp="$(mktemp /etc/sudoers.XXXXXX)"
  trap 'rm -f "$tmp"' EXIT
  cat /etc/sudoers >"$tmp"
  printf '\n@includedir /etc/sudoers.d\n' >>"$tmp"
  visudo -cqf "$tmp" || die "/etc/sudoers with the @includedir line does not check (visudo -cf)"
  chmod 0440 "$tmp"
  mv -f "$tmp" /etc/sudoers
  trap - EXIT
fi
visudo -cq || die "the sudoers configuration does not check (visudo -c)"

# A rule left by an interrupted test run would give a test user root: remove it.
for f in /etc/sudoers.d/safe-purge-test-*; do
  [ -e "$f" ] || continue
  say "removing a leftover test rule: $f"
  rm -f -- "$f"
done

say "ready: $sudo_bin, $(command -v visudo)"
