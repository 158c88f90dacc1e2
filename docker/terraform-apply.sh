#!/bin/sh
# The one-shot `terraform` services of docker-compose.yml run this inside the official
# hashicorp/terraform image. It applies infra/ against the emulator (or LocalStack) and
# writes the outputs the other containers need to the shared /outputs volume.
#
# Inputs (environment): TF_TARGET_ENDPOINT (the AWS endpoint the provider uses),
# TF_VAR_FILE (relative to infra/), TF_NAME_PREFIX, TF_IMAGE_URI and TF_WEB_ORIGINS (an
# HCL list of the web app's origins, for the bucket's CORS).
set -eu

: "${TF_TARGET_ENDPOINT:?set by docker-compose.yml}"
: "${TF_VAR_FILE:?set by docker-compose.yml}"
: "${TF_NAME_PREFIX:?set by docker-compose.yml}"
: "${TF_IMAGE_URI:?set by docker-compose.yml}"
: "${TF_WEB_ORIGINS:?set by docker-compose.yml}"

# infra/ reads ../services/functions.json and the state machine beside it, so both
# folders are copied afresh into the work volume (the repository is mounted read-only),
# leaving out any state or provider cache of a workstation's own `make up`. State
# (-state) and the provider cache (TF_DATA_DIR) live in the volume beside the copy, so a
# second `docker compose up` is an update, not a second create.
mkdir -p /work/state /outputs
rm -rf /work/src
mkdir -p /work/src
cp -R /src/infra /src/services /work/src/
rm -rf /work/src/infra/.terraform /work/src/infra/terraform.tfstate \
  /work/src/infra/terraform.tfstate.backup /work/src/infra/terraform.tfstate.d
# A remote backend copied from backend.tf.example is for AWS deploys, never for this.
rm -f /work/src/infra/backend.tf
export TF_DATA_DIR=/work/tfdata
cd /work/src/infra
state=/work/state/terraform.tfstate

set -- -var-file="$TF_VAR_FILE" \
  -var "local_endpoint=$TF_TARGET_ENDPOINT" \
  -var "name_prefix=$TF_NAME_PREFIX" \
  -var "image_uri=$TF_IMAGE_URI" \
  -var "web_origins=$TF_WEB_ORIGINS"

terraform init -input=false
terraform apply -input=false -auto-approve -state="$state" "$@"

terraform output -state="$state" -json > /outputs/terraform-outputs.json
terraform output -state="$state" -raw api_url > /outputs/api_base_url
echo "terraform: applied; API at $(cat /outputs/api_base_url)"
