locals {
  # The one switch between AWS and a local cloud (the project's emulator or LocalStack).
  # It is read here only: resources never branch on where they are deployed.
  use_local_endpoint = var.local_endpoint != ""
  local_endpoint     = local.use_local_endpoint ? var.local_endpoint : null
}

provider "aws" {
  region = var.region

  # A local cloud accepts any credentials; AWS takes them from the usual chain
  # (environment, profile, OIDC web identity in CI), never from this file.
  access_key = local.use_local_endpoint ? "test" : null
  secret_key = local.use_local_endpoint ? "test" : null

  skip_credentials_validation = local.use_local_endpoint
  skip_requesting_account_id  = local.use_local_endpoint
  skip_metadata_api_check     = local.use_local_endpoint
  s3_use_path_style           = local.use_local_endpoint

  # Every service this module calls. null leaves the provider's own AWS endpoint.
  endpoints {
    apigatewayv2   = local.local_endpoint
    cloudwatch     = local.local_endpoint
    cloudwatchlogs = local.local_endpoint
    cognitoidp     = local.local_endpoint
    dynamodb       = local.local_endpoint
    ecr            = local.local_endpoint
    events         = local.local_endpoint
    iam            = local.local_endpoint
    kms            = local.local_endpoint
    lambda         = local.local_endpoint
    s3             = local.local_endpoint
    sfn            = local.local_endpoint
    sns            = local.local_endpoint
    sqs            = local.local_endpoint
    sts            = local.local_endpoint
  }

  default_tags {
    tags = merge(
      {
        Project   = "docuflow-ocr"
        ManagedBy = "terraform"
        Stack     = var.name_prefix
      },
      var.tags,
    )
  }
}
