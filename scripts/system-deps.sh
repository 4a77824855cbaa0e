#!/usr/bin/env bash
# System packages, in two groups:
#   bash scripts/system-deps.sh site   what the build needs (make site, make serve): the Japanese
#                                      font of the lesson PDFs and cards, libraqm, Pango
#   bash scripts/system-deps.sh test   the same, plus what the tests need (make test): Debian's
#                                      Chromium, a second Japanese font, Node.js and npm
# Installs what is missing with apt-get where it can (root or passwordless sudo);
# otherwise stops and prints the exact command to run.
# (LDCONFIG, FONT_DIR and CHROMIUM are for tests/test_workflow.py, which plays a bare machine.)
set -euo pipefail

group=${1:-test}
case "$group" in site|test) ;; *) echo "usage: bash scripts/system-deps.sh site|test" >&2; exit 2 ;; esac

# (Read whole listings first: `grep -q` in a pipe would trip pipefail.)
fonts=$(fc-list 2>/dev/null || true)$'\n'$(find "${FONT_DIR:-/usr/share/fonts}" -name '*.tt[fc]' 2>/dev/null || true)
libs=$(${LDCONFIG:-/sbin/ldconfig} -p 2>/dev/null || ldconfig -p 2>/dev/null || true)

need=()
# The build: lesson PDFs embed BIZ UDPGothic (scripts/lessons/documents.py); cards and charts prefer it.
grep -qi 'BIZ UDPGothic\|BIZUDPGothic' <<<"$fonts" || need+=(fonts-morisawa-bizud-gothic)
# Pillow lays out Japanese text with libraqm (and FriBiDi).
grep -q 'libraqm\.so' <<<"$libs" || need+=(libraqm0)
# WeasyPrint (lesson PDFs, scripts/lessons) lays out text with Pango.
grep -q 'libpangoft2-1\.0\.so' <<<"$libs" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "$group" = test ]; then
  command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || need+=(chromium)
  grep -qi 'Noto Sans CJK\|NotoSansCJK' <<<"$fonts" || need+=(fonts-noto-cjk)
  # Node.js and npm run the browser gate's tools (axe-core, Lighthouse; package.json).
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
fi
[ ${#need[@]} -eq 0 ] && exit 0

for_what="the build (make site)"; for_what_ja="サイトのビルド（make site）"
[ "$group" = test ] && { for_what="the build and the tests (make test)"; for_what_ja="ビルドとテスト（make test）"; }
command="sudo apt-get install ${need[*]}"
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "${for_what_ja}に必要なシステムパッケージを入れます / Installing system packages for ${for_what}: ${need[*]}" >&2
    if $sudo apt-get update -qq &&
       DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
      exit 0
    fi
    echo "ERROR: 入れられませんでした。次のコマンドを実行してから、もう一度どうぞ / The installation failed; run this, then try again: ${command}" >&2
    exit 1
  fi
fi
echo "ERROR: ${for_what_ja}には次のシステムパッケージが必要です。次のコマンドを実行してから、もう一度どうぞ / ${for_what} needs these system packages; run this, then try again:" >&2
echo "  ${command}" >&2
echo "  (Debian・Ubuntu 以外 / elsewhere: install the font BIZ UDPGothic, libraqm and Pango$([ "$group" = test ] && echo ', Chromium, Noto Sans CJK JP and Node.js/npm'))" >&2
exit 1
