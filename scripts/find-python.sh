#!/usr/bin/env bash
# Prints the path of a Python interpreter of the given minor version (e.g. 3.12), looking
# at pyenv's versions first and then the PATH; fails with a message when there is none.
set -euo pipefail
want="${1:?usage: find-python.sh 3.12}"
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}(\.[0-9]+)?$" | sort -V -r); do
    candidate="$(pyenv prefix "$v")/bin/python${want}"
    if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
  done
fi
for candidate in "python${want}" "/usr/bin/python${want}" "/usr/local/bin/python${want}"; do
  if path=$(command -v "$candidate" 2>/dev/null) && "$path" -c 'import sys' >/dev/null 2>&1; then
    echo "$path"; exit 0
  fi
done
echo "find-python.sh: no Python ${want} found (install it, e.g. 'pyenv install ${want}')" >&2
exit 1
