#!/usr/bin/env bash
# Make sure the machine has what the browser tests need: Debian's Chromium
# and a Japanese font. Installs them with apt-get where it can (root or
# passwordless sudo); otherwise stops and says what to install.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
# (Read whole listings first: `grep -q` in a pipe would trip pipefail.)
fonts=$(fc-list 2>/dev/null || true)
grep -qi 'Noto Sans CJK' <<<"$fonts" || need+=(fonts-noto-cjk)
grep -qi 'BIZ UDPGothic' <<<"$fonts" || need+=(fonts-morisawa-bizud-gothic)
# Pillow lays out Japanese text with libraqm (and FriBiDi).
libs=$(/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true)
grep -q 'libraqm\.so' <<<"$libs" || need+=(libraqm0)
# WeasyPrint (lesson PDFs, scripts/lessons) lays out text with Pango.
grep -q 'libpangoft2-1\.0\.so' <<<"$libs" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# Node.js and npm run the browser gate's tools (axe-core, Lighthouse; package.json).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
[ ${#need[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=""; fi
  fi
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "Installing system packages for the tests: ${need[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    exit 0
  fi
fi
echo "ERROR: the tests need these system packages: ${need[*]}" >&2
echo "  On Debian or Ubuntu: sudo apt-get install ${need[*]}" >&2
echo "  Elsewhere: install Chromium and a Japanese font (Noto Sans CJK JP or BIZ UDGothic), then run 'make test' again." >&2
exit 1
