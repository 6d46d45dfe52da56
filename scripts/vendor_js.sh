#!/usr/bin/env bash
# Refresh the vendored Vega builds from the npm registry and check them against
# the hashes recorded in src/coopbook/site/static/coopbook/VERSIONS.txt. Not needed to build:
# the files are committed. Run it only when Altair's expected versions change.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/coopbook/site/static/coopbook
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent vega@6.4.0 vega-lite@6.4.1 vega-embed@7.3.0 >/dev/null)
for pkg in vega-6.4.0 vega-lite-6.4.1 vega-embed-7.3.0; do
  mkdir -p "$tmp/$pkg" && tar xzf "$tmp/$pkg.tgz" -C "$tmp/$pkg"
done
cp "$tmp/vega-6.4.0/package/build/vega.min.js" "$tmp/vega-lite-6.4.1/package/build/vega-lite.min.js" \
   "$tmp/vega-embed-7.3.0/package/build/vega-embed.min.js" "$dest/"
cp "$tmp/vega-lite-6.4.1/package/LICENSE" "$dest/LICENSE-vega-lite.txt"
(cd "$dest" && grep -E '^  [0-9a-f]{64}' VERSIONS.txt | sed 's/^  //' | sha256sum -c -)
