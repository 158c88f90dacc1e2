# Shared names and facts every other file uses.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # Globally unique, deterministic: the same stack in another account or region never collides.
  raw_bucket_name    = "${var.name_prefix}-raw-${local.account_id}-${var.region}"
  state_machine_name = "${var.name_prefix}-invoice-pipeline"

  # Built, not referenced: the API and intake functions need the state machine's ARN in
  # their environment while the state machine needs their siblings' ARNs in its
  # definition, and all functions are one for_each resource (a reference would be a cycle).
  state_machine_arn = "arn:${local.partition}:states:${var.region}:${local.account_id}:stateMachine:${local.state_machine_name}"
}
