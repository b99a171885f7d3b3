#!/usr/bin/env bash
# Prepares a Debian 12 machine for the docker integration tests (__tests__/docker.integration.test.ts):
# installs docker.io, docker-compose (v1) and busybox-static when missing, makes sure a docker
# daemon answers (starting dockerd in the background when none does), and builds the offline
# test image safe-purge-test:latest from busybox (no registry is needed). Runs as root, reads
# no stdin, and is idempotent: every step is skipped when its result is already there.
#
# Env: DOCKERD_LOG (default /var/log/safe-purge-dockerd.log), DOCKERD_WAIT (seconds, default 60),
#      DOCKERD_ARGS (extra dockerd flags, e.g. "--storage-driver=vfs"), TEST_IMAGE (default
#      safe-purge-test:latest).
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/safe-purge-dockerd.log}"
DOCKERD_WAIT="${DOCKERD_WAIT:-60}"
TEST_IMAGE="${TEST_IMAGE:-safe-purge-test:latest}"
BUSYBOX=/bin/busybox

say() { printf '[docker-setup] %s\n' "$*"; }
die() { printf '[docker-setup] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run this as root (it installs packages and may start dockerd)"

# ---- packages --------------------------------------------------------------------------------
# By command, not by package: a machine with Docker's own packages (docker-ce, e.g. GitHub's
# ubuntu runners) must not get docker.io, which conflicts with them.
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = 'install ok installed' ]; }
missing=()
{ command -v docker >/dev/null && command -v dockerd >/dev/null; } || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
# The image needs a static busybox (no libraries in it); the dynamic `busybox` package will not do.
installed busybox-static || missing+=(busybox-static)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q </dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  say "already installed: docker, dockerd, docker-compose, busybox-static"
fi
command -v docker >/dev/null || die "no docker client on PATH after installing docker.io"
command -v docker-compose >/dev/null || die "no docker-compose on PATH after installing docker-compose"
[ -x "$BUSYBOX" ] || die "$BUSYBOX is missing after installing busybox-static"

# ---- daemon ----------------------------------------------------------------------------------
daemon_up() { docker info >/dev/null 2>&1; }
# No pgrep: procps is not on a minimal Debian. dockerd writes its pid here.
dockerd_running() { [ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; }
if daemon_up; then
  say "docker daemon already answers"
else
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    say "starting docker with systemctl"
    systemctl start docker </dev/null || say "systemctl start docker failed; trying dockerd directly"
  fi
  if ! daemon_up && ! dockerd_running; then
    read -r -a extra_args <<<"${DOCKERD_ARGS:-}"
    say "starting dockerd ${extra_args[*]} in the background (log: $DOCKERD_LOG)"
    # setsid + nohup: the daemon outlives this script and its session.
    setsid nohup dockerd "${extra_args[@]}" >>"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  waited=0
  until daemon_up; do
    if [ "$waited" -ge "$DOCKERD_WAIT" ]; then
      [ -f "$DOCKERD_LOG" ] && { echo "---- last lines of $DOCKERD_LOG ----" >&2; tail -n 30 "$DOCKERD_LOG" >&2; }
      die "the docker daemon did not come up within ${DOCKERD_WAIT} s (docker info still fails); see $DOCKERD_LOG"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "docker daemon is up after ${waited} s"
fi

# ---- offline test image ----------------------------------------------------------------------
if docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
  say "image $TEST_IMAGE already exists"
else
  say "building $TEST_IMAGE from $BUSYBOX"
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/data"
  chmod 1777 "$rootfs/tmp"
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  for applet in sh ash sleep echo cat date ls mkdir rm touch true false printf test env wc tail head; do
    ln -sf busybox "$rootfs/bin/$applet"
  done
  tar -C "$rootfs" -c . | docker import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' - "$TEST_IMAGE" >/dev/null
  [ "$(docker run --rm "$TEST_IMAGE" sh -c 'echo ok')" = ok ] || die "the image $TEST_IMAGE was built but cannot run a shell"
  say "built $TEST_IMAGE"
fi
say "ready: $(docker version --format 'server {{.Server.Version}}'), $(docker-compose version --short 2>/dev/null || echo 'docker-compose ?')"
