#!/usr/bin/env bash
# Put gui-agent into the desktop's application menu: run from inside the bundle's folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
mkdir -p "$apps"
sed "s|@BUNDLE@|$here|g" "$here/gui-agent.desktop" > "$apps/gui-agent.desktop"
echo "installed $apps/gui-agent.desktop (gui-agent in your application menu)"
