#!/bin/sh
# Packs the prebuilt runtime stub packages of a release: one npm package per
# distribution named on the command line (archives, or `host`), each with
# `oxidize stub pack`, then `npm pack` into the output directory. Publish the
# tarballs it prints with `npm publish <tarball> --access public`.
#
# Usage: scripts/pack-stubs.sh OUT_DIR [--with-distribution] DISTRIBUTION...
# Example: scripts/pack-stubs.sh release-stubs host
#          scripts/pack-stubs.sh release-stubs --with-distribution cpython-3.11-x86_64-linux.tar.zst
set -eu
[ $# -ge 2 ] || { echo "usage: $0 OUT_DIR [--with-distribution] DISTRIBUTION..." >&2; exit 2; }
out=$1; shift
with=
if [ "$1" = --with-distribution ]; then with=--with-distribution; shift; fi
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out/packages"
for dist in "$@"; do
  dir=$(node "$here/bin/oxidize.js" stub pack --distribution "$dist" --out "$out/packages" $with)
  (cd "$out" && npm pack --silent "$(cd "$dir" && pwd)")
done
