#!/usr/bin/env bash
# make deploy: build the one Lambda image, push it to ECR, and apply infra/ with the
# image pinned by DIGEST (never a mutable tag). See docs/deploy-aws.md.
#
# Settings (environment):
#   TFVARS        var file, default infra/envs/aws.tfvars (copy envs/aws.tfvars.example)
#   LAMBDA_ARCH   amd64 (default) or arm64: the image platform and lambda_architecture
#   ECR_REPOSITORY_URL  an existing repository to push to when the var file sets
#                 create_ecr = false (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/docuflow)
#   TF_BACKEND_CONFIG   optional file passed to `terraform init -backend-config=`
#   AUTO_APPROVE  1 to skip Terraform's confirmation (CI sets it)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'deploy: %s\n' "$*" >&2; }
die() { printf 'deploy: error: %s\n' "$*" >&2; exit 1; }

TFVARS="${TFVARS:-infra/envs/aws.tfvars}"
LAMBDA_ARCH="${LAMBDA_ARCH:-amd64}"

# ---- prerequisites --------------------------------------------------------------------
command -v aws >/dev/null 2>&1 || die "the AWS CLI v2 is not installed (https://docs.aws.amazon.com/cli/)"
command -v docker >/dev/null 2>&1 || die "docker is not installed; the image is built with docker buildx"
docker info >/dev/null 2>&1 || die "the Docker engine is not running (docker info failed)"
docker buildx version >/dev/null 2>&1 || die "docker buildx is missing (Docker Desktop or the buildx plugin provides it)"
command -v terraform >/dev/null 2>&1 || die "terraform is not installed (>= 1.9, see infra/versions.tf)"
[ -f "$TFVARS" ] || die "$TFVARS does not exist: cp infra/envs/aws.tfvars.example infra/envs/aws.tfvars and edit it"
account="$(aws sts get-caller-identity --query Account --output text 2>/dev/null)" \
  || die "no AWS credentials: run 'aws configure sso' / 'aws sso login', or export AWS_PROFILE"

case "$LAMBDA_ARCH" in
  amd64) platform=linux/amd64; lambda_architecture=x86_64 ;;
  arm64) platform=linux/arm64; lambda_architecture=arm64 ;;
  *) die "LAMBDA_ARCH must be amd64 or arm64, not '$LAMBDA_ARCH'" ;;
esac

tfvar() { # the string value of a top-level `name = "value"` in the var file
  sed -n -E "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"([^\"]*)\".*/\1/p" "$TFVARS" | tail -n 1
}
tfbool() {
  sed -n -E "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*(true|false).*/\1/p" "$TFVARS" | tail -n 1
}
region="$(tfvar region)"
region="${region:-us-east-1}"
name_prefix="$(tfvar name_prefix)"
name_prefix="${name_prefix:-docuflow}"
tfvars_abs="$(cd "$(dirname "$TFVARS")" && pwd)/$(basename "$TFVARS")"
export AWS_REGION="$region" AWS_DEFAULT_REGION="$region"

# Textract is not offered in every region: check before building anything.
textract_regions="$(aws ssm get-parameters-by-path \
  --path /aws/service/global-infrastructure/services/textract/regions \
  --query 'Parameters[].Value' --output text 2>/dev/null || true)"
if [ -z "$textract_regions" ]; then
  say "warning: could not list Textract's regions (ssm:GetParametersByPath denied?); make sure $region offers Textract"
elif ! grep -qw -- "$region" <<<"$textract_regions"; then
  die "Textract is not offered in $region; set region in $TFVARS to one of: $(tr '\t' ' ' <<<"$textract_regions")"
fi

say "account $account, region $region, prefix $name_prefix, $platform"

# ---- terraform init ---------------------------------------------------------------------
init_args=(-input=false)
[ -n "${TF_BACKEND_CONFIG:-}" ] && init_args+=("-backend-config=$(cd "$(dirname "$TF_BACKEND_CONFIG")" && pwd)/$(basename "$TF_BACKEND_CONFIG")")
[ -f infra/backend.tf ] || say "warning: no infra/backend.tf: state stays in infra/terraform.tfstate on this machine (see infra/backend.tf.example)"
terraform -chdir=infra init "${init_args[@]}"

# ---- the repository -------------------------------------------------------------------
# A syntactically valid stand-in used only while the repository itself is created with
# -target (no function is touched then).
placeholder="${account}.dkr.ecr.${region}.amazonaws.com/${name_prefix}-functions@sha256:$(printf '0%.0s' $(seq 64))"
if [ "$(tfbool create_ecr)" = "true" ]; then
  say "creating or updating the ECR repository (terraform -target)"
  terraform -chdir=infra apply -input=false -auto-approve -var-file="$tfvars_abs" \
    -var "image_uri=$placeholder" \
    -target=aws_ecr_repository.functions -target=aws_ecr_lifecycle_policy.functions
  repository_url="$(terraform -chdir=infra output -raw ecr_repository_url)"
else
  repository_url="${ECR_REPOSITORY_URL:-}"
  [ -n "$repository_url" ] || die "the var file sets create_ecr = false: export ECR_REPOSITORY_URL=<account>.dkr.ecr.<region>.amazonaws.com/<repo>"
fi
registry="${repository_url%%/*}"
repository_name="${repository_url#*/}"

# ---- build and push -----------------------------------------------------------------------
# ECR tags are immutable here: every push gets a new tag (commit + time); the deploy
# itself uses the digest the registry reports for that tag.
revision="$(git rev-parse --short=12 HEAD 2>/dev/null || echo nogit)"
git diff --quiet 2>/dev/null || revision="${revision}-dirty"
tag="${revision}-$(date -u +%Y%m%d%H%M%S)-${LAMBDA_ARCH}"

aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$registry" >/dev/null
say "building and pushing ${repository_url}:${tag}"
# --provenance/--sbom off: Lambda accepts a single image manifest, not the image index
# that attestations turn a push into.
docker buildx build --platform "$platform" --provenance=false --sbom=false \
  -f services/Dockerfile -t "${repository_url}:${tag}" --push .

digest="$(aws ecr describe-images --repository-name "$repository_name" --image-ids imageTag="$tag" \
  --query 'imageDetails[0].imageDigest' --output text)"
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "ECR reports no digest for ${repository_url}:${tag} (got '$digest'): the push did not land"
image_uri="${repository_url}@${digest}"
say "image ${image_uri}"

# ---- apply --------------------------------------------------------------------------------
apply_args=(-input=false -var-file="$tfvars_abs" -var "image_uri=$image_uri" -var "lambda_architecture=$lambda_architecture")
[ "${AUTO_APPROVE:-0}" = "1" ] && apply_args+=(-auto-approve)
terraform -chdir=infra apply "${apply_args[@]}"

say "deployed. API: $(terraform -chdir=infra output -raw api_url)"
say "function image: $image_uri"
