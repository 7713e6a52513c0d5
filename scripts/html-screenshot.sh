#!/usr/bin/env bash
# Renders a PeerMatch HTML page in headless Chromium (Debian: apt-get install -y chromium) to see it
# as a person would: a PNG of the screen view and a PDF of the print view (A4 landscape).
#
#   scripts/html-screenshot.sh PAGE.html OUT_PREFIX [WIDTHxHEIGHT]
#
# writes OUT_PREFIX.png (window 1600x1200 unless given), OUT_PREFIX.pdf and OUT_PREFIX.dom.html
# (the DOM after parsing, to check that nothing ran or was fetched). Network access is disabled
# for the page. The tests (HTMLReportTests) call this when chromium is on PATH; to look at their
# pages yourself: PEERMATCH_HTML_SAMPLES=/some/dir swift test --filter HTMLReportTests, then open
# the PNGs (and `pdftoppm -png -r 60 x.pdf x` for the printed pages).
set -euo pipefail
page="$1"; out="$2"; size="${3:-1600x1200}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "html-screenshot: chromium is not installed (apt-get install -y chromium)" >&2; exit 3; }
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions
       --disable-background-networking --user-data-dir="$profile"
       --host-resolver-rules="MAP * ~NOTFOUND")
"$browser" "${flags[@]}" --window-size="${size/x/,}" --screenshot="$out.png" "$url" >/dev/null 2>&1
"$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out.pdf" "$url" >/dev/null 2>&1
"$browser" "${flags[@]}" --dump-dom "$url" > "$out.dom.html" 2>/dev/null
[ -s "$out.png" ] && [ -s "$out.pdf" ] && [ -s "$out.dom.html" ]
