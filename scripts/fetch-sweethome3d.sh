#!/usr/bin/env bash
# Fetches Debian's sweethome3d-furniture package (≈ 820 CC0 / CC-BY furniture and household models in five .sh3f
# catalogues) without installing it, and imports every model with `dexnet import`. Meshes are never committed:
# the default folder is outside the repository. Re-running resumes the import.
#   scripts/fetch-sweethome3d.sh [dir (default ~/dexnet-data/sweethome3d)] [--scale rule] [other import flags…]
# The models go to $OUT when set, else to <dir>/<rule>.
set -euo pipefail
dir="${1:-$HOME/dexnet-data/sweethome3d}"
shift || true
scale="min:0.04"
if [[ "${1:-}" == "--scale" ]]; then scale="$2"; shift 2; fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$dir"
cd "$dir"
if ! ls sweethome3d-furniture_*.deb >/dev/null 2>&1; then
  apt-get download sweethome3d-furniture
fi
if [[ ! -d package ]]; then
  dpkg -x sweethome3d-furniture_*.deb package
fi
catalogues=(package/usr/share/sweethome3d/furniture/*.sh3f)
out="${OUT:-$dir/$scale}"
echo "importing ${#catalogues[@]} catalogues at --scale $scale into $out" >&2
node "$here/bin/dexnet.js" import "${catalogues[@]}" --out "$out" --scale "$scale" "$@"
