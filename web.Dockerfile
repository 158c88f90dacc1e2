# syntax=docker/dockerfile:1
# The web app (frontend/, built with Vite) served by nginx for docker-compose.yml. The
# API address is not baked in: at start the container writes /config.json from the URL
# Terraform output (docker/web/40-docuflow-config.sh), which the app reads first; without
# one the app runs its demo over the data made in the first stage.
#
#   docker build -f web.Dockerfile -t docuflow-web .

# The demo's data: `docuflow demo-data` runs the sample generator, the offline OCR engine
# (Tesseract for the scanned page, with the languages scripts/bootstrap.sh installs) and
# the pipeline's parser, checks and routing (docs/frontend.md, "Demo mode").
FROM python:3.12-slim-bookworm AS demo-data
ENV PYTHONDONTWRITEBYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
COPY tools/pyproject.toml ./tools/pyproject.toml
RUN uv sync --frozen --no-dev --group tools --no-install-workspace
COPY shared ./shared
COPY services ./services
COPY tools ./tools
RUN uv sync --frozen --no-dev --group tools \
    && /opt/venv/bin/docuflow demo-data /demo

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY --from=demo-data /demo ./public/demo
# The data is there already, so the app alone is built (`npm run build` would make the
# data again, which needs the Python tools this stage does not have).
RUN npm run build:app

# NGINX's unprivileged variant of the official image: runs as uid 101, listens on 8080.
FROM nginxinc/nginx-unprivileged:1.28-alpine AS web
COPY docker/web/default.conf /etc/nginx/conf.d/default.conf
COPY --chmod=0755 docker/web/40-docuflow-config.sh /docker-entrypoint.d/40-docuflow-config.sh
COPY --from=build /app/dist /usr/share/nginx/html
USER 101
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --retries=12 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/config.json"]
