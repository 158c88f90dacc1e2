# tflocal-style provider endpoints for LocalStack, for people who deploy infra/ with plain
# `terraform` instead of through its `local_endpoint` variable (which is what
# docker-compose.yml and e2e/target_localstack.py use, and is preferred).
#
# Use: copy this file into infra/ as `localstack_providers_override.tf` (Terraform merges
# any *_override.tf into the matching block), then
#   terraform -chdir=infra apply -var-file=envs/localstack.tfvars
# and delete the copy afterwards: with it present, the module cannot reach real AWS.
# Cognito (the user pool, ADR 0021) is served by LocalStack's licensed editions only,
# which this profile needs anyway (LOCALSTACK_AUTH_TOKEN); the community image has none.
# Textract is not listed: Textract calls come from the Lambda functions, which reach the
# project's stand-in through AWS_ENDPOINT_URL_TEXTRACT (see localstack/README.md).
provider "aws" {
  access_key                  = "test"
  secret_key                  = "test"
  region                      = "us-east-1"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    apigateway     = "http://localhost.localstack.cloud:4566"
    apigatewayv2   = "http://localhost.localstack.cloud:4566"
    cloudwatch     = "http://localhost.localstack.cloud:4566"
    cloudwatchlogs = "http://localhost.localstack.cloud:4566"
    cognitoidp     = "http://localhost.localstack.cloud:4566"
    dynamodb       = "http://localhost.localstack.cloud:4566"
    ecr            = "http://localhost.localstack.cloud:4566"
    events         = "http://localhost.localstack.cloud:4566"
    iam            = "http://localhost.localstack.cloud:4566"
    kms            = "http://localhost.localstack.cloud:4566"
    lambda         = "http://localhost.localstack.cloud:4566"
    s3             = "http://s3.localhost.localstack.cloud:4566"
    sfn            = "http://localhost.localstack.cloud:4566"
    sns            = "http://localhost.localstack.cloud:4566"
    sqs            = "http://localhost.localstack.cloud:4566"
    ssm            = "http://localhost.localstack.cloud:4566"
    sts            = "http://localhost.localstack.cloud:4566"
  }
}
