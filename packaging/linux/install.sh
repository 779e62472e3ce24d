#!/bin/sh
# Adds OpenHMI to this user's application menu, pointing at this unpacked folder.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
mkdir -p "$apps" "$icons/256x256/apps" "$icons/scalable/apps"
sed "s|@EXEC@|$here/openhmi|" "$here/openhmi.desktop" > "$apps/openhmi.desktop"
cp "$here/openhmi.png" "$icons/256x256/apps/openhmi.png"
cp "$here/openhmi.svg" "$icons/scalable/apps/openhmi.svg"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
echo "OpenHMI added to the application menu (remove: $apps/openhmi.desktop)"
