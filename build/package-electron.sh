#!/usr/bin/env bash
# Packages the desk for Linux (AppImage, deb) and Windows (NSIS). Needs internet (Electron headers + binaries),
# so it is never part of `npm install` or `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
ELECTRON_VERSION=$(node -p "require('electron/package.json').version")
# Build better-sqlite3 for Electron's ABI into its own folder; Node (tests, server) keeps the default build.
rm -rf .electron-sqlite && mkdir -p .electron-sqlite
(cd node_modules/better-sqlite3 && npx --yes node-gyp rebuild --release --target="$ELECTRON_VERSION" \
  --dist-url=https://electronjs.org/headers --build-from-source && cp build/Release/better_sqlite3.node ../../.electron-sqlite/)
# Restore the Node build for this checkout.
(cd node_modules/better-sqlite3 && npx --yes node-gyp rebuild --release)
npm run build
npx electron-builder --config build/electron-builder.yml --linux --win "$@"
