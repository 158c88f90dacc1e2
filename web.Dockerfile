# syntax=docker/dockerfile:1
# The web app (frontend/, built with Vite) served by nginx for docker-compose.yml. The
# API address is not baked in: at start the container writes /config.json from the URL
# Terraform output (docker/web/40-docuflow-config.sh), which the app reads first.
#
#   docker build -f web.Dockerfile -t docuflow-web .
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# NGINX's unprivileged variant of the official image: runs as uid 101, listens on 8080.
FROM nginxinc/nginx-unprivileged:1.28-alpine AS web
COPY docker/web/default.conf /etc/nginx/conf.d/default.conf
COPY --chmod=0755 docker/web/40-docuflow-config.sh /docker-entrypoint.d/40-docuflow-config.sh
COPY --from=build /app/dist /usr/share/nginx/html
USER 101
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --retries=12 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/config.json"]
