#!/usr/bin/env bash
# System packages gui-agent needs on Debian/Ubuntu: a virtual X server for tests and headless
# runs, the xcb libraries Qt's platform plugin loads, small X tools, and zenity (a real GTK app
# the risk gate is tested against). Idempotent: installs
# only what is missing, and runs apt-get update only when it has something to install.
set -euo pipefail

PACKAGES=(
  xvfb xauth x11-utils xdotool xclip
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  chromium zenity
  # test-only: the GTK3 screens of the foreign grounding bench (tests/apps/foreign/gtk_app.py)
  # run under the system python3-gi and need GTK's typelib and its Adwaita icons
  gir1.2-gtk-3.0 adwaita-icon-theme
  # the accessibility tree: a private session bus per virtual display, and the AT-SPI bus
  # launcher and registry it starts (gui_agent/headless/session_bus.py)
  dbus at-spi2-core
  # test-only: real apps the accessibility tests drive (GTK editor, calculator, dialogs; xcalc
  # as an app without a tree)
  mousepad galculator yad x11-apps
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-deps: this script knows Debian/Ubuntu (apt). Install the equivalents of:" >&2
  echo "  ${PACKAGES[*]}" >&2
  exit 1
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system-deps: all ${#PACKAGES[@]} system packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "install-system-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-system-deps: done"
