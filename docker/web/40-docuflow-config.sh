#!/bin/sh
# Run by the nginx image's /docker-entrypoint.sh before nginx starts. Writes the web
# app's runtime configuration (/config.json, read by frontend/src/config/env.ts) from the
# HTTP API URL that the one-shot terraform service wrote to the shared volume.
set -eu
url_file="${DOCUFLOW_API_URL_FILE:-/outputs/api_base_url}"
if [ ! -s "$url_file" ]; then
  echo "docuflow-web: $url_file is missing or empty: the terraform service must finish first" >&2
  exit 1
fi
api_url="$(cat "$url_file")"
case "$api_url" in
  http://*|https://*) ;;
  *) echo "docuflow-web: $url_file holds '$api_url', not an http(s) URL" >&2; exit 1 ;;
esac
# /tmp: the server runs unprivileged and cannot write its document root.
mkdir -p /tmp/docuflow
printf '{"apiBaseUrl": "%s"}\n' "${api_url%/}" > /tmp/docuflow/config.json
echo "docuflow-web: API at ${api_url%/}"
