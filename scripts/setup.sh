#!/usr/bin/env bash
# Installs the Debian packages plantrace builds and tests with, if missing.
# Idempotent; works as root or through sudo. Debian 12 (bookworm).
#   scripts/setup.sh                     build and test dependencies
#   scripts/setup.sh --with-libreoffice  also LibreOffice Calc and Writer, which
#                                        corpus tests use to open the XLSX export
#                                        and to save the DOCX plans as text
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libicu-dev libre2-dev libxml2-dev libpoppler-cpp-dev libpoppler-private-dev
  libsqlite3-dev libzip-dev libxlsxwriter-dev libgtest-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libssl-dev nlohmann-json3-dev
  # The plantrace program's allocator (CMakeLists.txt says why).
  libjemalloc-dev
  poppler-utils
  # OCR of scanned pages (extractors/page_ocr.cc) with the Vietnamese model;
  # img2pdf makes the scanned test fixtures (scripts/make_scanned.py), the
  # tesseract command is bench_ocr.sh's baseline.
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-vie img2pdf
  # The web view's HTTP server (plantrace serve), and the browser its
  # end-to-end test drives (tests/browser/: chromium over the DevTools
  # protocol from Debian's python3 with python3-websocket).
  libcpp-httplib-dev chromium python3 python3-websocket
  # The PostgreSQL store (issue 18): libpq to build, and the PostgreSQL 15
  # server whose initdb and pg_ctl the tests start a throwaway server with
  # (scripts/pg_scratch.sh). pg_trgm and unaccent ship in postgresql-15
  # itself (it provides postgresql-contrib-15); psql comes with it.
  libpq-dev postgresql-15
)
if [ "${1:-}" = "--with-libreoffice" ]; then
  packages+=(libreoffice-calc-nogui libreoffice-writer-nogui)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
