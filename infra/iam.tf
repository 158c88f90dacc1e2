# One role per function, each allowed exactly what its handler does, on the exact
# tables, indexes, key prefixes, queues and state machine it touches.

locals {
  jobs_arn    = aws_dynamodb_table.this["jobs"].arn
  audit_arn   = aws_dynamodb_table.this["audit"].arn
  bucket_arn  = aws_s3_bucket.raw.arn
  raw_objects = "${aws_s3_bucket.raw.arn}/raw/*"
  ocr_objects = "${aws_s3_bucket.raw.arn}/ocr/*"
  results     = "${aws_s3_bucket.raw.arn}/results/*"
  kms_key_arn = aws_kms_key.this.arn

  jobs_index = { for name in ["status-created_at-index", "owner_id-created_at-index", "file_sha256-index", "invoice_key-index"] : name => "${aws_dynamodb_table.this["jobs"].arn}/index/${name}" }

  # Reading an SQS event source (Lambda's poller uses the function's role).
  sqs_consume = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]

  # Statements per function. "prefixes" adds an s3:prefix condition (ListBucket only):
  # with ListBucket a missing object reads as 404 NoSuchKey, without it as 403, and the
  # handlers tell "not there yet" from "forbidden" by that.
  # Every role can Decrypt with the stack key (documents and messages are encrypted with
  # it); writers of S3 objects or queue messages can also GenerateDataKey. Table access
  # through the key is one shared statement below (kms:ViaService DynamoDB).
  function_statements = {
    "api-uploads" = [
      { sid = "JobsCreateReadUpdate", actions = ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      # PutObject is what the presigned URL grants the browser; GetObject covers HeadObject on /start.
      { sid = "RawDocumentsPresignAndHead", actions = ["s3:PutObject", "s3:GetObject"], resources = [local.raw_objects], prefixes = [] },
      { sid = "RawDocumentsList", actions = ["s3:ListBucket"], resources = [local.bucket_arn], prefixes = ["raw/*"] },
      { sid = "StartPipeline", actions = ["states:StartExecution"], resources = [local.state_machine_arn], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt", "kms:GenerateDataKey"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "api-jobs" = [
      { sid = "JobsRead", actions = ["dynamodb:GetItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "JobsList", actions = ["dynamodb:Query"], resources = [local.jobs_index["status-created_at-index"], local.jobs_index["owner_id-created_at-index"]], prefixes = [] },
      { sid = "AuditRead", actions = ["dynamodb:Query"], resources = [local.audit_arn], prefixes = [] },
      { sid = "ResultsRead", actions = ["s3:GetObject"], resources = [local.results], prefixes = [] },
      { sid = "ResultsList", actions = ["s3:ListBucket"], resources = [local.bucket_arn], prefixes = ["results/*"] },
      { sid = "StackKey", actions = ["kms:Decrypt"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "api-review" = [
      { sid = "JobsReadDecide", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "ReviewQueue", actions = ["dynamodb:Query"], resources = [local.jobs_index["status-created_at-index"]], prefixes = [] },
      { sid = "AuditAppendRead", actions = ["dynamodb:PutItem", "dynamodb:Query"], resources = [local.audit_arn], prefixes = [] },
      # The reviewer's short-lived document link (presigned GET) and the result it corrects
      # (corrections are stored on the job item, not written back to S3).
      { sid = "DocumentsAndResultsRead", actions = ["s3:GetObject"], resources = [local.raw_objects, local.results], prefixes = [] },
      { sid = "DocumentsAndResultsList", actions = ["s3:ListBucket"], resources = [local.bucket_arn], prefixes = ["raw/*", "results/*"] },
      { sid = "StackKey", actions = ["kms:Decrypt"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "intake" = [
      { sid = "IntakeQueue", actions = local.sqs_consume, resources = [aws_sqs_queue.intake.arn], prefixes = [] },
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      { sid = "RawDocumentsHead", actions = ["s3:GetObject"], resources = [local.raw_objects], prefixes = [] },
      { sid = "RawDocumentsList", actions = ["s3:ListBucket"], resources = [local.bucket_arn], prefixes = ["raw/*"] },
      { sid = "StartPipeline", actions = ["states:StartExecution"], resources = [local.state_machine_arn], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "validate-document" = [
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      { sid = "RawDocumentsRead", actions = ["s3:GetObject"], resources = [local.raw_objects], prefixes = [] },
      { sid = "RawDocumentsList", actions = ["s3:ListBucket"], resources = [local.bucket_arn], prefixes = ["raw/*"] },
      { sid = "StackKey", actions = ["kms:Decrypt"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "start-ocr" = [
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      # Textract reads the document with the caller's permissions (and key).
      { sid = "RawDocumentsReadForTextract", actions = ["s3:GetObject"], resources = [local.raw_objects], prefixes = [] },
      # Textract has no resource-level permissions (no resource ARNs exist for its jobs),
      # so its actions can only be granted on "*".
      { sid = "TextractStart", actions = ["textract:StartExpenseAnalysis", "textract:StartDocumentAnalysis"], resources = ["*"], prefixes = [] },
      { sid = "PassTextractPublishRole", actions = ["iam:PassRole"], resources = [aws_iam_role.textract.arn], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "ocr-callback" = [
      { sid = "OcrCompletionQueue", actions = local.sqs_consume, resources = [aws_sqs_queue.ocr_completion.arn], prefixes = [] },
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      { sid = "CompleteWaitingTask", actions = ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"], resources = [local.state_machine_arn], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "poll-ocr" = [
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      # Textract has no resource-level permissions: "*" is the only possible resource.
      { sid = "TextractGet", actions = ["textract:GetExpenseAnalysis", "textract:GetDocumentAnalysis"], resources = ["*"], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "store-ocr" = [
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      # Textract has no resource-level permissions: "*" is the only possible resource.
      { sid = "TextractGet", actions = ["textract:GetExpenseAnalysis", "textract:GetDocumentAnalysis"], resources = ["*"], prefixes = [] },
      { sid = "OcrOutputWrite", actions = ["s3:PutObject"], resources = [local.ocr_objects], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt", "kms:GenerateDataKey"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "parse-and-score" = [
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      # possible_duplicate: the same file, or the same vendor and invoice number, seen before.
      { sid = "DuplicateLookups", actions = ["dynamodb:Query"], resources = [local.jobs_index["file_sha256-index"], local.jobs_index["invoice_key-index"]], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      { sid = "OcrOutputRead", actions = ["s3:GetObject"], resources = [local.ocr_objects], prefixes = [] },
      { sid = "OcrOutputList", actions = ["s3:ListBucket"], resources = [local.bucket_arn], prefixes = ["ocr/*"] },
      { sid = "ResultsWrite", actions = ["s3:PutObject"], resources = [local.results], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt", "kms:GenerateDataKey"], resources = [local.kms_key_arn], prefixes = [] },
    ]
    "mark-failed" = [
      { sid = "JobsReadUpdate", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [local.jobs_arn], prefixes = [] },
      { sid = "AuditAppend", actions = ["dynamodb:PutItem"], resources = [local.audit_arn], prefixes = [] },
      { sid = "DeadLetter", actions = ["sqs:SendMessage"], resources = [aws_sqs_queue.dlq.arn], prefixes = [] },
      { sid = "StackKey", actions = ["kms:Decrypt", "kms:GenerateDataKey"], resources = [local.kms_key_arn], prefixes = [] },
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
      condition     = contains(keys(local.function_statements), each.key)
      error_message = "Function ${each.key} (services/functions.json) has no permissions: add what its handler touches to local.function_statements in infra/iam.tf."
    }

    precondition {
      condition     = contains(keys(local.function_settings), each.key)
      error_message = "Function ${each.key} (services/functions.json) has no settings list: add the environment variables it reads to local.function_settings in infra/lambda.tf (an empty list if none)."
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

  # Every function reads or writes the jobs and audit tables, which are encrypted with the
  # stack key: DynamoDB uses the key on the caller's behalf, only through DynamoDB.
  statement {
    sid       = "StackKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${var.region}.amazonaws.com"]
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

  dynamic "statement" {
    for_each = lookup(local.function_statements, each.key, [])

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
