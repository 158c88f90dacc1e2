# One Lambda function per entry of services/functions.json: the same image for all, each
# with its own handler command, timeout, memory, environment (the manifest's "settings")
# and role (infra/iam.tf, from the manifest's "permissions").

locals {
  manifest  = jsondecode(file("${path.module}/../services/functions.json"))
  functions = local.manifest.functions

  known_triggers = ["http", "states", "schedule", "sqs:intake", "sqs:ocr-completion", "sqs:ocr-start", "sqs:webhooks"]

  function_names = { for k, _ in local.functions : k => "${var.name_prefix}-${k}" }

  # What each setting a function may name in its manifest "settings" is set to (DESIGN
  # "Runtime contracts"). A function gets exactly the settings it names.
  setting_values = {
    JOBS_TABLE                 = aws_dynamodb_table.this["jobs"].name
    AUDIT_TABLE                = aws_dynamodb_table.this["audit"].name
    VENDORS_TABLE              = aws_dynamodb_table.this["vendors"].name
    RAW_BUCKET                 = aws_s3_bucket.raw.bucket
    STATE_MACHINE_ARN          = local.state_machine_arn
    DLQ_URL                    = aws_sqs_queue.dlq.url
    EVENT_BUS_NAME             = aws_cloudwatch_event_bus.this.name
    WEBHOOKS_TABLE             = aws_dynamodb_table.this["webhooks"].name
    DELIVERIES_TABLE           = aws_dynamodb_table.this["deliveries"].name
    STATS_TABLE                = aws_dynamodb_table.this["stats"].name
    OCR_PRICE_EXPENSE_PAGE     = tostring(var.ocr_price_expense_page)
    OCR_PRICE_DOCUMENT_PAGE    = tostring(var.ocr_price_document_page)
    WEBHOOK_QUEUE_URL          = aws_sqs_queue.webhooks.url
    WEBHOOK_DLQ_URL            = aws_sqs_queue.webhooks_dlq.url
    WEBHOOK_ALLOW_LOOPBACK     = tostring(var.webhook_allow_loopback)
    WEBHOOK_RETRY_BASE_SECONDS = tostring(var.webhook_retry_base_seconds)
    WEBHOOK_MAX_ATTEMPTS       = tostring(var.webhook_max_attempts)
    WEBHOOK_TIMEOUT_SECONDS    = tostring(var.webhook_timeout_seconds)
    EVENT_SWEEP_GRACE_SECONDS  = tostring(var.event_sweep_grace_seconds)
    OCR_MODE                   = var.ocr_mode
    TEXTRACT_SNS_TOPIC_ARN     = aws_sns_topic.textract.arn
    TEXTRACT_ROLE_ARN          = aws_iam_role.textract.arn
    MAX_UPLOAD_BYTES           = tostring(var.max_upload_bytes)
    MAX_PAGES                  = tostring(var.max_pages)
    UPLOAD_URL_TTL_SECONDS     = tostring(var.upload_url_ttl_seconds)
    DOWNLOAD_URL_TTL_SECONDS   = tostring(var.download_url_ttl_seconds)
    SETTINGS_TABLE             = aws_dynamodb_table.this["settings"].name
    USER_POOL_ID               = aws_cognito_user_pool.users.id
    EXPORT_URL_TTL_SECONDS     = tostring(var.export_url_ttl_seconds)
    CONFIDENCE_THRESHOLD       = tostring(var.confidence_threshold)
    CONFIDENCE_THRESHOLDS      = jsonencode(var.confidence_thresholds)
    # The account's Textract start quota; start-ocr's containers pace to it together on
    # the pacing table's shared schedule (ADR 0038).
    TEXTRACT_STARTS_PER_SECOND = tostring(var.textract_start_tps)
    PACING_TABLE               = aws_dynamodb_table.this["pacing"].name
  }

  function_environment = {
    for k, f in local.functions : k => merge(
      # An unknown name is left out here and refused by the precondition below.
      { for name in f.settings : name => local.setting_values[name] if contains(keys(local.setting_values), name) },
      {
        # "api", "intake" or "workflow": the package under services/ that holds the handler.
        POWERTOOLS_SERVICE_NAME      = split(".", f.handler)[1]
        POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
        POWERTOOLS_TRACE_DISABLED    = tostring(var.powertools_trace_disabled)
        LOG_LEVEL                    = var.log_level
      },
    )
  }
}

resource "aws_lambda_function" "fn" {
  #checkov:skip=CKV_AWS_117:The functions reach only regional AWS APIs (S3, DynamoDB, SQS, Step Functions, Textract) and hold no private network resource; a VPC would add NAT or endpoint cost and cold-start latency for no isolation gain.
  #checkov:skip=CKV_AWS_116:The API and Step Functions invoke synchronously and the SQS event source mappings redrive failed messages to the stack's dead-letter queue; the one asynchronous invoker, a schedule (infra/schedules.tf), fires again at its rate and the scheduled function reports its own failures to that queue (ADR 0034), so a function DLQ would hold nothing to act on.
  #checkov:skip=CKV_AWS_272:Lambda code signing applies to .zip packages only; these are container images, whose integrity comes from immutable ECR tags and deploys pinned by digest.
  for_each = local.functions

  function_name = local.function_names[each.key]
  description   = each.value.description
  role          = aws_iam_role.fn[each.key].arn
  package_type  = "Image"
  image_uri     = var.image_uri
  architectures = [var.lambda_architecture]
  timeout       = each.value.timeout
  memory_size   = each.value.memory_size
  kms_key_arn   = aws_kms_key.this.arn

  # -1 means "no reservation": only functions whose manifest entry reserves concurrency
  # (start-ocr, to stay under Textract's start-call quota) get one.
  reserved_concurrent_executions = var.enable_reserved_concurrency ? lookup(each.value, "reserved_concurrency", -1) : -1

  image_config {
    command = [each.value.handler]
  }

  environment {
    variables = local.function_environment[each.key]
  }

  tracing_config {
    mode = var.enable_tracing ? "Active" : "PassThrough"
  }

  lifecycle {
    precondition {
      condition     = contains(local.known_triggers, each.value.trigger)
      error_message = "services/functions.json: function ${each.key} has trigger ${each.value.trigger}; expected one of ${join(", ", local.known_triggers)}."
    }

    precondition {
      condition     = length(setsubtract(each.value.settings, keys(local.setting_values))) == 0
      error_message = "services/functions.json: function ${each.key} names settings Terraform does not know: ${join(", ", setsubtract(each.value.settings, keys(local.setting_values)))}. Add them to local.setting_values in infra/lambda.tf."
    }

    precondition {
      condition     = can(regex("^services\\.[a-z_]+(\\.[a-z_][a-z0-9_]*)+$", each.value.handler))
      error_message = "services/functions.json: function ${each.key} has handler ${each.value.handler}; expected services.<package>.<module>.<function>."
    }
  }

  # The log group exists (with retention and encryption) before Lambda would create it
  # without either, and the role can do its work before the first invocation.
  depends_on = [
    aws_cloudwatch_log_group.fn,
    aws_iam_role_policy.fn,
  ]
}

# SQS-triggered functions: report failed messages one by one, so one bad message in a
# batch is retried (and eventually dead-lettered) without redoing the others.
# A consumer with "maximum_concurrency" in its manifest runs at most that many batches at
# once (Lambda's minimum is 2); the others scale with the queue, as Lambda's pollers do.
# start-ocr takes a record only while 10 s of its timeout are left (RECORD_TIME_MS in
# services/common/batches.py), and its containers share the quota's turns (under a backlog
# each gets textract_start_tps / maximum_concurrency a second), so its batch is what one
# container can start in half the rest of its timeout; the other half is for the turns a
# start refused by Textract takes again (ADR 0038). A record it has no time left for goes
# back to wait out the visibility timeout (minutes) and counts toward maxReceiveCount: at
# a low quota a batch of ten did that to most of its records (ADR 0032). The others take
# ten, the most without a window.
locals {
  ocr_start_batch_size = max(1, min(10, floor(
    (local.functions["start-ocr"].timeout - 10) / 2 * var.textract_start_tps / local.functions["start-ocr"].maximum_concurrency
  )))
}

resource "aws_lambda_event_source_mapping" "sqs" {
  for_each = local.queue_consumers

  function_name           = aws_lambda_function.fn[each.value].arn
  event_source_arn        = local.queue_arns[each.key]
  batch_size              = each.value == "start-ocr" ? local.ocr_start_batch_size : 10
  function_response_types = ["ReportBatchItemFailures"]

  dynamic "scaling_config" {
    for_each = can(local.functions[each.value].maximum_concurrency) ? [local.functions[each.value].maximum_concurrency] : []

    content {
      maximum_concurrency = scaling_config.value
    }
  }
}
