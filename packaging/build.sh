#!/usr/bin/env bash
# Build the desktop bundle: a PyInstaller one-folder build of gui-agent that needs no Python
# on the machine, with a .desktop entry and gui-agent's own icon.
#
#   bash packaging/build.sh [OUT_DIR]      # default: dist/bundle
#
# The bundle is built from the *wheel* (installed into a private build environment), so it
# holds exactly what `pip install gui-agent` holds. The system packages the runtime needs
# (X libraries for Qt, Xvfb for the demo and headless runs) still come from the system:
# packaging/install-system-deps.sh. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="$(realpath -m "${1:-dist/bundle}")"
WORK="build/bundle"
PY="${PYTHON:-python3}"
mkdir -p "$WORK" "$OUT"

echo "build: wheel"
rm -rf "$WORK/wheel"
"$PY" -m pip wheel --quiet --no-deps --wheel-dir "$WORK/wheel" .

echo "build: a clean build environment"
if [ ! -x "$WORK/venv/bin/python" ]; then
  "$PY" -m venv "$WORK/venv"
fi
"$WORK/venv/bin/python" -m pip install --quiet --upgrade pip
"$WORK/venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$WORK"/wheel/gui_agent-*.whl
"$WORK/venv/bin/python" -m pip install --quiet "$WORK"/wheel/gui_agent-*.whl "pyinstaller>=6.0,<7"

echo "build: PyInstaller (one folder)"
rm -rf "$OUT/gui-agent"
(cd packaging && "../$WORK/venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$OUT" --workpath "../$WORK/pyinstaller" gui-agent.spec)

# The menu entry and the icon travel with the bundle; install-desktop-entry.sh puts them
# where the desktop finds them, with this folder's absolute path.
cp assets/brand/gui-agent.svg "$OUT/gui-agent/gui-agent.svg"
sed "s|^Exec=.*|Exec=@BUNDLE@/gui-agent|; s|^Icon=.*|Icon=@BUNDLE@/gui-agent.svg|" \
  assets/brand/gui-agent.desktop > "$OUT/gui-agent/gui-agent.desktop"
cp packaging/install-desktop-entry.sh "$OUT/gui-agent/"

size=$(du -sm "$OUT/gui-agent" | cut -f1)
echo "build: $OUT/gui-agent ($size MB); start it with $OUT/gui-agent/gui-agent"
