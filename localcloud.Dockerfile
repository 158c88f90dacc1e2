# syntax=docker/dockerfile:1
# The project's AWS emulator (moto behind DocuFlow's WSGI layer, the Textract stand-in)
# as a container for docker-compose.yml. Terraform is NOT in this image: compose applies
# infra/ from the official hashicorp/terraform image.
#
#   docker build -f localcloud.Dockerfile -t docuflow-localcloud .
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv

# The offline OCR engine behind the Textract stand-in reads documents with Tesseract and
# Poppler (the same packages scripts/bootstrap.sh installs on a workstation).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-nld \
        poppler-utils \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app
# Locked dependencies first (the runtime core and the tools package, no dev tools), code
# after. The workspace member's pyproject must be present for uv to read the lock.
COPY pyproject.toml uv.lock README.md ./
COPY tools/pyproject.toml ./tools/pyproject.toml
RUN uv sync --frozen --no-dev --group tools --no-install-workspace
COPY shared ./shared
COPY services ./services
COPY tools ./tools
# Editable, as on a workstation: docuflow finds services/functions.json and infra/ paths
# relative to its source tree (docuflow_tools.paths.REPO_ROOT is /app).
RUN uv sync --frozen --no-dev --group tools

# The emulator writes its state under /app/.localcloud and generated files under /data.
RUN useradd --system --create-home --uid 10001 docuflow \
    && mkdir -p /data /app/.localcloud /app/.generated \
    && chown docuflow /data /app/.localcloud /app/.generated
USER 10001
ENV PATH=/opt/venv/bin:$PATH \
    DOCUFLOW_SHARED_DIR=/shared \
    DOCUFLOW_GENERATED_DIR=/data/generated

EXPOSE 4566
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=12 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:4566/_docuflow/health', timeout=2)"]
# The emulator alone, on every interface of the container: Terraform runs in its own
# service and the Lambda functions in their own containers (DOCUFLOW_LAMBDA_ENDPOINTS).
CMD ["docuflow", "up", "--emulator-only", "--host", "0.0.0.0", "--port", "4566"]
