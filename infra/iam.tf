# One role per function, allowed exactly what its manifest entry in services/functions.json
# grants ("permissions"), on the exact tables, indexes, key prefixes, queues and state
# machine it names.

locals {
  # What a resource symbol of the manifest stands for. "<symbol>/<path>" is that ARN
  # followed by "/<path>", the way ARNs nest: jobs_table/index/<index>, raw_bucket/raw/*.
  resource_arns = {
    jobs_table                = aws_dynamodb_table.this["jobs"].arn
    audit_table               = aws_dynamodb_table.this["audit"].arn
    vendors_table             = aws_dynamodb_table.this["vendors"].arn
    settings_table            = aws_dynamodb_table.this["settings"].arn
    user_pool                 = aws_cognito_user_pool.users.arn
    raw_bucket                = aws_s3_bucket.raw.arn
    state_machine             = local.state_machine_arn
    dead_letter_queue         = aws_sqs_queue.dlq.arn
    event_bus                 = aws_cloudwatch_event_bus.this.arn
    webhooks_table            = aws_dynamodb_table.this["webhooks"].arn
    deliveries_table          = aws_dynamodb_table.this["deliveries"].arn
    stats_table               = aws_dynamodb_table.this["stats"].arn
    pacing_table              = aws_dynamodb_table.this["pacing"].arn
    webhook_queue             = aws_sqs_queue.webhooks.arn
    webhook_dead_letter_queue = aws_sqs_queue.webhooks_dlq.arn
    textract_role             = aws_iam_role.textract.arn
    stack_key                 = aws_kms_key.this.arn
    # Textract has no resource-level permissions (no ARN exists for its jobs), so its
    # actions can only be granted on "*".
    textract = "*"
  }

  # "raw_bucket/raw/*" -> { symbol = "raw_bucket", path = "raw/*", sid = "RawBucketRaw" };
  # path is null for a bare symbol.
  permission_targets = {
    for k, f in local.functions : k => {
      for target, actions in f.permissions : target => {
        symbol  = regex("^([a-z_]+)(?:/(.+))?$", target)[0]
        path    = regex("^([a-z_]+)(?:/(.+))?$", target)[1]
        sid     = replace(title(replace(target, "/[^A-Za-z0-9]+/", " ")), " ", "")
        actions = actions
      }
    }
  }

  # Reading an SQS event source (Lambda's poller uses the function's role): granted on the
  # queue of the function's sqs:<queue> trigger.
  sqs_consume = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]

  # The statements of each function's manifest permissions: one per resource, and for
  # s3:ListBucket one on the bucket itself, limited to the path by an s3:prefix condition
  # (with ListBucket a missing object reads as 404 NoSuchKey, without it as 403, and the
  # handlers tell "not there yet" from "forbidden" by that).
  function_statements = {
    for k, targets in local.permission_targets : k => flatten([
      for target, t in targets : [
        for statement in [
          {
            sid       = t.sid
            actions   = [for action in t.actions : action if action != "s3:ListBucket"]
            resources = [t.path == null ? lookup(local.resource_arns, t.symbol, "") : "${lookup(local.resource_arns, t.symbol, "")}/${t.path}"]
            prefixes  = []
          },
          {
            sid       = "${t.sid}List"
            actions   = [for action in t.actions : action if action == "s3:ListBucket"]
            resources = [lookup(local.resource_arns, t.symbol, "")]
            prefixes  = t.path == null ? [] : [t.path]
          },
        ] : statement if length(statement.actions) > 0
      ]
    ])
  }

  # Symbols the manifest uses that name no resource here, and indexes it names that
  # infra/tables.json does not define: refused before anything is planned.
  unknown_symbols = {
    for k, targets in local.permission_targets : k => [
      for target, t in targets : target if !contains(keys(local.resource_arns), t.symbol)
    ]
  }
  unknown_indexes = {
    for k, targets in local.permission_targets : k => [
      for target, t in targets : target
      if endswith(t.symbol, "_table") && startswith(coalesce(t.path, "-"), "index/")
      && !contains(keys(try(local.tables[trimsuffix(t.symbol, "_table")].global_secondary_indexes, {})), trimprefix(coalesce(t.path, "-"), "index/"))
    ]
  }
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  for_each = local.functions

  name               = "${local.function_names[each.key]}-role"
  description        = "Execution role of ${local.function_names[each.key]}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json

  lifecycle {
    precondition {
      condition     = length(local.unknown_symbols[each.key]) == 0
      error_message = "services/functions.json: function ${each.key} is granted permissions on ${join(", ", local.unknown_symbols[each.key])}, which name no resource of local.resource_arns in infra/iam.tf."
    }

    precondition {
      condition     = length(local.unknown_indexes[each.key]) == 0
      error_message = "services/functions.json: function ${each.key} is granted permissions on ${join(", ", local.unknown_indexes[each.key])}, an index infra/tables.json does not define."
    }
  }
}

data "aws_iam_policy_document" "fn" {
  for_each = local.functions

  # Its own log group only (created in observability.tf, so no logs:CreateLogGroup).
  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.fn[each.key].arn}:*"]
  }

  # The tables are encrypted with the stack key: for a function granted anything on a
  # table, DynamoDB uses the key on its behalf, only through DynamoDB.
  dynamic "statement" {
    for_each = anytrue([for t in values(local.permission_targets[each.key]) : endswith(t.symbol, "_table")]) ? [1] : []

    content {
      sid       = "StackKeyThroughDynamoDB"
      actions   = ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
      resources = [aws_kms_key.this.arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["dynamodb.${var.region}.amazonaws.com"]
      }
    }
  }

  # X-Ray has no resource-level permissions for sending traces: "*" is the only form.
  dynamic "statement" {
    for_each = var.enable_tracing ? [1] : []

    content {
      sid       = "XRayTraces"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }

  # Reading the queue of its sqs:<queue> trigger.
  dynamic "statement" {
    for_each = startswith(each.value.trigger, "sqs:") ? [local.queue_arns[trimprefix(each.value.trigger, "sqs:")]] : []

    content {
      sid       = "TriggerQueue"
      actions   = local.sqs_consume
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.function_statements[each.key]

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = length(statement.value.prefixes) > 0 ? [1] : []

        content {
          test     = "StringLike"
          variable = "s3:prefix"
          values   = statement.value.prefixes
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "fn" {
  for_each = local.functions

  name   = "least-privilege"
  role   = aws_iam_role.fn[each.key].id
  policy = data.aws_iam_policy_document.fn[each.key].json
}

# ---------------------------------------------------------------------------------------
# The role Textract assumes to publish job completions to the topic.
# ---------------------------------------------------------------------------------------

data "aws_iam_policy_document" "textract_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["textract.amazonaws.com"]
    }

    # Only Textract jobs started in this account can use the role (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "textract" {
  name               = "${var.name_prefix}-textract-publish"
  description        = "Assumed by Textract to publish job completions to ${aws_sns_topic.textract.name}"
  assume_role_policy = data.aws_iam_policy_document.textract_assume.json
}

data "aws_iam_policy_document" "textract_publish" {
  statement {
    sid       = "PublishCompletions"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.textract.arn]
  }

  # The topic is encrypted with the stack key.
  statement {
    sid       = "EncryptedTopic"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }
}

resource "aws_iam_role_policy" "textract" {
  name   = "publish-completions"
  role   = aws_iam_role.textract.id
  policy = data.aws_iam_policy_document.textract_publish.json
}
