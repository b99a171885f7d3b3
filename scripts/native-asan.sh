#!/usr/bin/env bash
# Runs the native helper's jest suites against a build of addon/fsat.c with AddressSanitizer and
# UndefinedBehaviorSanitizer, and fails if either reports anything.
#
#   scripts/native-asan.sh [jest test path pattern (a regexp)...]
#
# The default patterns pick the suites that call the helper in the jest process. Suites that run
# the built action or CLI (hardening, concurrency, the e2e ones) give it a clean environment,
# without LD_PRELOAD: there ASan stops the process as soon as the helper loads, so they fail here
# rather than pass unchecked. Leave them out.
#
# Node is not built with ASan, so the sanitized helper loads only with gcc's libasan preloaded
# (ASan's runtime must come first in the process). Leaks are not checked: Node keeps memory
# until exit on purpose. The tests load the helper from dist/native/, so the sanitized build is
# put there for the run and the original put back afterwards, whatever happens (both by rename:
# a process that has the file mapped keeps its copy). ASan writes its reports to log files, which
# fail the run, so one from a process a test spawns counts even if that test passed; UBSan (whose
# log_path does not take effect next to ASan) stops the process it finds a problem in and writes
# to its stderr, so jest's output is searched for reports as well.
set -euo pipefail
cd "$(dirname "$0")/.."

patterns=("$@")
[ "${#patterns[@]}" -gt 0 ] || patterns=('fs/(native|flags|move)' 'engine/(pace|execute|run|plan|fingerprint|move)\.test')

dist=dist/native/fsat-linux-x64.node
[ -f "$dist" ] || { echo "native-asan: $dist is missing: run node scripts/build-native.mjs first" >&2; exit 2; }
libasan=$("${CC:-gcc}" -print-file-name=libasan.so)
case "$libasan" in
  /*) [ -e "$libasan" ] || { echo "native-asan: $libasan does not exist" >&2; exit 2; } ;;
  *) echo "native-asan: ${CC:-gcc} has no libasan.so (Debian: apt-get install libasan8)" >&2; exit 2 ;;
esac

work=$(mktemp -d)
saved="$work/original.node"
cp -p "$dist" "$saved"
restore() {
  local rc=$?
  if cp -p "$saved" "$dist.restore" && mv -f "$dist.restore" "$dist" && cmp -s "$saved" "$dist"; then
    rm -rf "$work"
  else
    echo "native-asan: could not put back $dist: its original is $saved" >&2
    rc=1
  fi
  exit "$rc"
}
trap restore EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

node scripts/build-native.mjs --sanitize "$work/fsat-asan.node"
cp "$work/fsat-asan.node" "$dist.asan" && mv -f "$dist.asan" "$dist"

sanitized=(env "LD_PRELOAD=$libasan${LD_PRELOAD:+ $LD_PRELOAD}"
  "ASAN_OPTIONS=detect_leaks=0:log_path=$work/asan:log_exe_name=1"
  "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1")

# The helper that the tests will load is the sanitized one, and ASan's runtime is in the process.
"${sanitized[@]}" node -e '
  const m = { exports: {} }
  process.dlopen(m, process.argv[1])
  const maps = require("fs").readFileSync("/proc/self/maps", "utf8")
  if (m.exports.abi !== 7 || !/libasan/.test(maps) || !/libubsan/.test(maps)) {
    console.error("native-asan: the sanitized helper or the sanitizer runtimes did not load")
    process.exit(1)
  }' "$PWD/$dist"

status=0
"${sanitized[@]}" node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
  --selectProjects native --testPathPatterns "${patterns[@]}" 2>&1 | tee "$work/jest.log" || status=$?

# Reports UBSan (or ASan, before it knew where to log) printed in jest's output count too.
grep -E 'runtime error:|(Address|UndefinedBehavior)Sanitizer' "$work/jest.log" >"$work/ubsan.jest-output" ||
  rm -f "$work/ubsan.jest-output"
reports=$(find "$work" -name 'asan*' -o -name 'ubsan*')
if [ -n "$reports" ]; then
  for f in $reports; do
    echo "== $f" >&2
    cat "$f" >&2
  done
  echo "native-asan: the sanitizers reported the problems above" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "native-asan: no ASan or UBSan report, but jest failed (status $status)" >&2
  exit "$status"
fi
echo "native-asan: no ASan or UBSan report (${patterns[*]})"
