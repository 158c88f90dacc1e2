#!/usr/bin/env bash
# Installs everything DocuFlow needs on a fresh machine: system packages (when run as
# root and missing), uv, the locked Python environment and the web app's npm packages.
# Idempotent and quick when everything is already there; `make up` and `make test` call it.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v terraform >/dev/null 2>&1 || echo "bootstrap: terraform not found; install Terraform >= 1.9 (the local cloud deploys with it)" >&2
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "bootstrap: please install: ${need_apt[*]}" >&2
  fi
fi

if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet "uv>=0.5"
fi
uv sync --frozen --quiet

if [ -f frontend/package-lock.json ] && command -v npm >/dev/null 2>&1; then
  if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
