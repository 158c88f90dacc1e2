# `terraform test` (run by tests/static/test_terraform.py): the roles Terraform builds from
# the manifest's symbolic permissions are least privilege. The mocked provider gives the
# stack's resources their ARNs already at plan (override_during = plan), so the policy
# statements can be read as AWS would receive them.

mock_provider "aws" {
  override_during = plan

  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:dftest" }
  }

  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/dftest" }
  }

  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:dftest" }
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "123456789012" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }

  override_resource {
    target = aws_dynamodb_table.this["jobs"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-jobs" }
  }

  override_resource {
    target = aws_dynamodb_table.this["audit"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-audit" }
  }

  override_resource {
    target = aws_dynamodb_table.this["vendors"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-vendors" }
  }

  override_resource {
    target = aws_s3_bucket.raw
    values = { arn = "arn:aws:s3:::dftest-raw" }
  }

  override_resource {
    target = aws_kms_key.this
    values = { arn = "arn:aws:kms:us-east-1:123456789012:key/dftest" }
  }

  override_resource {
    target = aws_sqs_queue.dlq
    values = { arn = "arn:aws:sqs:us-east-1:123456789012:dftest-dlq", url = "https://sqs.us-east-1.amazonaws.com/123456789012/dftest-dlq" }
  }

  override_resource {
    target = aws_sqs_queue.intake
    values = { arn = "arn:aws:sqs:us-east-1:123456789012:dftest-intake" }
  }

  override_resource {
    target = aws_sqs_queue.ocr_completion
    values = { arn = "arn:aws:sqs:us-east-1:123456789012:dftest-ocr-completion" }
  }

  override_resource {
    target = aws_sqs_queue.ocr_start
    values = { arn = "arn:aws:sqs:us-east-1:123456789012:dftest-ocr-start", url = "https://sqs.us-east-1.amazonaws.com/123456789012/dftest-ocr-start" }
  }

  override_resource {
    target = aws_dynamodb_table.this["webhooks"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-webhooks" }
  }

  override_resource {
    target = aws_dynamodb_table.this["deliveries"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-deliveries" }
  }

  override_resource {
    target = aws_cloudwatch_event_bus.this
    values = { arn = "arn:aws:events:us-east-1:123456789012:event-bus/dftest-events" }
  }

  override_resource {
    target = aws_sqs_queue.webhooks
    values = { arn = "arn:aws:sqs:us-east-1:123456789012:dftest-webhooks", url = "https://sqs.us-east-1.amazonaws.com/123456789012/dftest-webhooks" }
  }

  override_resource {
    target = aws_sqs_queue.webhooks_dlq
    values = { arn = "arn:aws:sqs:us-east-1:123456789012:dftest-webhooks-dlq", url = "https://sqs.us-east-1.amazonaws.com/123456789012/dftest-webhooks-dlq" }
  }

  override_resource {
    target = aws_iam_role.textract
    values = { arn = "arn:aws:iam::123456789012:role/dftest-textract-publish" }
  }

  override_resource {
    target = aws_dynamodb_table.this["settings"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-settings" }
  }

  override_resource {
    target = aws_dynamodb_table.this["stats"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-stats" }
  }

  override_resource {
    target = aws_dynamodb_table.this["pacing"]
    values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-pacing" }
  }

  override_resource {
    target = aws_cognito_user_pool.users
    values = { arn = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/dftest", id = "us-east-1_dftest" }
  }
}

variables {
  name_prefix = "dftest"
  image_uri   = "123456789012.dkr.ecr.us-east-1.amazonaws.com/docuflow:test"
}

run "roles_are_least_privilege" {
  command = plan

  # "*" only for actions AWS offers no resource-level permission for.
  assert {
    condition = alltrue(flatten([
      for k, policy in data.aws_iam_policy_document.fn : [
        for s in policy.statement : alltrue([for a in s.actions : startswith(a, "textract:") || startswith(a, "xray:")])
        if contains(s.resources, "*")
      ]
    ]))
    error_message = "A function is granted something other than Textract or X-Ray on \"*\"."
  }

  # Every other resource is one of this stack's own.
  assert {
    condition = alltrue(flatten([
      for k, policy in data.aws_iam_policy_document.fn : [
        for s in policy.statement : [
          for r in s.resources : r == "*" || length(regexall("^arn:aws:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:[A-Za-z-]*[:/]?dftest", r)) > 0
        ]
      ]
    ]))
    error_message = "A function is granted access to a resource outside the stack."
  }

  # No service-wide or action-group wildcard ("s3:*", "dynamodb:Put*"), except the KMS
  # key's DynamoDB-only statement (GenerateDataKey*, ReEncrypt* as AWS documents them).
  assert {
    condition = alltrue(flatten([
      for k, policy in data.aws_iam_policy_document.fn : [
        for s in policy.statement : [for a in s.actions : !strcontains(a, "*")] if s.sid != "StackKeyThroughDynamoDB"
      ]
    ]))
    error_message = "A function is granted a wildcard action."
  }

  # Listing the bucket is always limited to a prefix.
  assert {
    condition = alltrue(flatten([
      for k, policy in data.aws_iam_policy_document.fn : [
        for s in policy.statement : jsonencode([for c in s.condition : c.variable]) == jsonencode(["s3:prefix"])
        if contains(s.actions, "s3:ListBucket")
      ]
    ]))
    error_message = "A function may list the whole bucket."
  }

  # The read-only API functions cannot change anything.
  assert {
    condition = alltrue(flatten([
      for k in ["api-jobs", "api-vendors"] : [
        for s in data.aws_iam_policy_document.fn[k].statement : [
          for a in s.actions : length(regexall("^(dynamodb:(Put|Update|Delete|BatchWrite)|s3:(Put|Delete)|states:Start|sqs:Send)", a)) == 0
        ]
      ]
    ]))
    error_message = "api-jobs or api-vendors may write."
  }

  # Symbols become exact ARNs: an index under its table, objects under their prefix, and
  # the listing on the bucket itself.
  assert {
    condition = toset(flatten([
      for s in data.aws_iam_policy_document.fn["api-jobs"].statement : s.resources if contains(s.actions, "dynamodb:Query")
      ])) == toset([
      "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-jobs/index/tenant_id-created_at-index",
      "arn:aws:dynamodb:us-east-1:123456789012:table/dftest-audit",
    ])
    error_message = "api-jobs must query exactly the tenant's listing index and the audit table."
  }

  assert {
    condition = jsonencode([
      for s in data.aws_iam_policy_document.fn["api-jobs"].statement : tolist(s.resources) if contains(s.actions, "s3:GetObject")
    ]) == jsonencode([["arn:aws:s3:::dftest-raw/results/*"]])
    error_message = "api-jobs must read results/ only."
  }

  assert {
    condition = jsonencode([
      for s in data.aws_iam_policy_document.fn["api-jobs"].statement : [tolist(s.resources), [for c in s.condition : tolist(c.values)]] if contains(s.actions, "s3:ListBucket")
    ]) == jsonencode([[["arn:aws:s3:::dftest-raw"], [["results/*"]]]])
    error_message = "api-jobs must list the bucket under results/ only."
  }

  # validate-document reads the document and touches no table, nor the key through one.
  assert {
    condition = alltrue(flatten([
      for s in data.aws_iam_policy_document.fn["validate-document"].statement : [
        for a in s.actions : !startswith(a, "dynamodb:") && s.sid != "StackKeyThroughDynamoDB"
      ]
    ]))
    error_message = "validate-document must not touch a table."
  }

  # The functions that use a table may use the key through DynamoDB.
  assert {
    condition = length([
      for s in data.aws_iam_policy_document.fn["api-jobs"].statement : s if s.sid == "StackKeyThroughDynamoDB"
    ]) == 1
    error_message = "api-jobs cannot read its encrypted tables."
  }

  # An SQS-triggered function reads its own queue and no other.
  assert {
    condition = jsonencode([
      for s in data.aws_iam_policy_document.fn["intake"].statement : tolist(s.resources) if contains(s.actions, "sqs:ReceiveMessage")
    ]) == jsonencode([["arn:aws:sqs:us-east-1:123456789012:dftest-intake"]])
    error_message = "intake must read the intake queue only."
  }

  assert {
    condition = jsonencode([
      for s in data.aws_iam_policy_document.fn["ocr-callback"].statement : tolist(s.resources) if contains(s.actions, "sqs:ReceiveMessage")
    ]) == jsonencode([["arn:aws:sqs:us-east-1:123456789012:dftest-ocr-completion"]])
    error_message = "ocr-callback must read the ocr-completion queue only."
  }

  assert {
    condition = alltrue([
      for k, policy in data.aws_iam_policy_document.fn : length([for s in policy.statement : s if contains(s.actions, "sqs:ReceiveMessage") && s.sid != "DeadLetterQueue"]) == 0
      if !startswith(jsondecode(file("../services/functions.json")).functions[k].trigger, "sqs:")
    ])
    # reconcile-failures reads the dead-letter queue on purpose (ADR 0015): granted by its
    # manifest entry (statement DeadLetterQueue), never as a trigger.
    error_message = "Only SQS-triggered functions may read a queue (reconcile-failures aside: the dead-letter queue)."
  }
}
