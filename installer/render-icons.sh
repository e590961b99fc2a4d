#!/usr/bin/env bash
# Renders the app icon's PNG sizes from its SVG. The PNGs are committed, so builds and CI never
# run this; run it after editing the SVG (needs rsvg-convert: apt-get install librsvg2-bin).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/../resources/icons"
id=io.github.statelab.StateLab
for size in 48 128 256; do
  rsvg-convert -w "$size" -h "$size" "$id.svg" -o "$id-$size.png"
done
