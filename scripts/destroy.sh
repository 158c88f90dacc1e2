#!/usr/bin/env bash
# make destroy: tear down everything `make deploy` created. See docs/deploy-aws.md.
#
# Invoices are financial records: this deletes every document, OCR result and audit
# record of the stack. It asks you to type the stack's name_prefix first (or set
# CONFIRM_DESTROY=<name_prefix> to run unattended).
#
# Settings (environment): TFVARS (default infra/envs/aws.tfvars), TF_BACKEND_CONFIG.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'destroy: %s\n' "$*" >&2; }
die() { printf 'destroy: error: %s\n' "$*" >&2; exit 1; }

TFVARS="${TFVARS:-infra/envs/aws.tfvars}"

command -v aws >/dev/null 2>&1 || die "the AWS CLI v2 is not installed"
command -v terraform >/dev/null 2>&1 || die "terraform is not installed (>= 1.9)"
command -v uv >/dev/null 2>&1 || die "uv is not installed (scripts/bootstrap.sh installs it); it runs the clean-up helper"
[ -f "$TFVARS" ] || die "$TFVARS does not exist: destroy with the var file you deployed with"
account="$(aws sts get-caller-identity --query Account --output text 2>/dev/null)" \
  || die "no AWS credentials: run 'aws sso login' or export AWS_PROFILE"

tfvar() {
  sed -n -E "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"([^\"]*)\".*/\1/p" "$TFVARS" | tail -n 1
}
region="$(tfvar region)"; region="${region:-us-east-1}"
name_prefix="$(tfvar name_prefix)"; name_prefix="${name_prefix:-docuflow}"
tfvars_abs="$(cd "$(dirname "$TFVARS")" && pwd)/$(basename "$TFVARS")"
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region"

init_args=(-input=false)
[ -n "${TF_BACKEND_CONFIG:-}" ] && init_args+=("-backend-config=$(cd "$(dirname "$TF_BACKEND_CONFIG")" && pwd)/$(basename "$TF_BACKEND_CONFIG")")
terraform -chdir=infra init "${init_args[@]}"

if [ "${CONFIRM_DESTROY:-}" != "$name_prefix" ]; then
  [ -t 0 ] || die "not a terminal: set CONFIRM_DESTROY=$name_prefix to destroy unattended"
  printf 'This deletes stack "%s" in account %s, %s, with every document and audit record.\nType the name prefix to confirm: ' "$name_prefix" "$account" "$region" >&2
  read -r answer
  [ "$answer" = "$name_prefix" ] || die "not confirmed; nothing was deleted"
fi

# The image the functions run now (any valid value would do for a destroy; this one is real).
image_uri="$(aws lambda get-function --function-name "${name_prefix}-api-uploads" \
  --query 'Code.ImageUri' --output text 2>/dev/null || true)"
if [ -z "$image_uri" ] || [ "$image_uri" = "None" ]; then
  image_uri="${account}.dkr.ecr.${region}.amazonaws.com/${name_prefix}-functions@sha256:$(printf '0%.0s' $(seq 64))"
fi
vars=(-var-file="$tfvars_abs" -var "image_uri=$image_uri")

# 1. Lift the tables' deletion protection (a targeted apply touches nothing else).
say "lifting deletion protection on the tables"
terraform -chdir=infra apply -input=false -auto-approve "${vars[@]}" -var deletion_protection=false \
  -target=aws_dynamodb_table.jobs -target=aws_dynamodb_table.audit

# 2. Empty the versioned bucket and the image repository, which AWS refuses to delete
#    while they hold anything.
bucket="$(terraform -chdir=infra output -raw raw_bucket 2>/dev/null || true)"
repository="$(terraform -chdir=infra output -raw ecr_repository_url 2>/dev/null || true)"
say "emptying bucket '${bucket:-none}' and repository '${repository:-none}'"
BUCKET="$bucket" REPOSITORY="${repository#*/}" uv run --frozen python - <<'PY'
import os

import boto3

bucket = os.environ["BUCKET"]
if bucket:
    # Every version and delete marker, not only the current objects.
    boto3.resource("s3").Bucket(bucket).object_versions.delete()
repository = os.environ["REPOSITORY"]
if repository and repository != "null":
    ecr = boto3.client("ecr")
    for page in ecr.get_paginator("list_images").paginate(repositoryName=repository):
        ids = page["imageIds"]
        for start in range(0, len(ids), 100):
            ecr.batch_delete_image(repositoryName=repository, imageIds=ids[start : start + 100])
PY

# 3. Everything else.
terraform -chdir=infra destroy -input=false -auto-approve "${vars[@]}" -var deletion_protection=false
say "destroyed stack $name_prefix in $region (the KMS key waits out its deletion window)"
