# The invoice pipeline: the repo's ASL file (the same one the tests load) rendered with
# the ARNs of the functions that run its states and the timing settings.

locals {
  # Functions whose trigger is "states": the only ones the state machine may invoke.
  workflow_functions = { for k, f in local.functions : k => f if f.trigger == "states" }

  # validate-document -> ${validate_document_arn}, and so on for every workflow function.
  state_machine_template_vars = merge(
    { for k, _ in local.workflow_functions : "${replace(k, "-", "_")}_arn" => aws_lambda_function.fn[k].arn },
    {
      ocr_start_queue_url       = aws_sqs_queue.ocr_start.url
      ocr_start_timeout_seconds = var.ocr_start_timeout_seconds
      ocr_wait_timeout_seconds  = var.ocr_wait_timeout_seconds
      poll_interval_seconds     = var.poll_interval_seconds
      max_polls                 = var.max_polls

      textract_retry_interval_seconds  = var.textract_retry_interval_seconds
      textract_retry_max_delay_seconds = var.textract_retry_max_delay_seconds
      textract_retry_max_attempts      = var.textract_retry_max_attempts
    },
  )
}

resource "aws_sfn_state_machine" "pipeline" {
  name     = local.state_machine_name
  type     = "STANDARD"
  role_arn = aws_iam_role.state_machine.arn

  definition = templatefile("${path.module}/../services/workflow/statemachine/invoice_pipeline.asl.json", local.state_machine_template_vars)

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.state_machine.arn}:*"
    include_execution_data = var.state_machine_log_execution_data
    level                  = var.state_machine_log_level
  }

  tracing_configuration {
    enabled = var.enable_tracing
  }

  lifecycle {
    # STATE_MACHINE_ARN in the functions' environment is built from the name (see main.tf).
    postcondition {
      condition     = self.arn == local.state_machine_arn
      error_message = "The state machine's ARN ${self.arn} differs from the one given to the functions (${local.state_machine_arn})."
    }
  }

  # Execution logging checks at creation that the role may deliver logs.
  depends_on = [aws_iam_role_policy.state_machine]
}

data "aws_iam_policy_document" "states_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    # Only this account's state machine of this name can use the role (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.state_machine_arn]
    }
  }
}

resource "aws_iam_role" "state_machine" {
  name               = "${local.state_machine_name}-role"
  description        = "Role of the ${local.state_machine_name} state machine"
  assume_role_policy = data.aws_iam_policy_document.states_assume.json
}

data "aws_iam_policy_document" "state_machine" {
  # Exactly the workflow functions, unqualified or with a version/alias qualifier.
  statement {
    sid       = "InvokeWorkflowFunctions"
    actions   = ["lambda:InvokeFunction"]
    resources = flatten([for k, _ in local.workflow_functions : [aws_lambda_function.fn[k].arn, "${aws_lambda_function.fn[k].arn}:*"]])
  }

  # StartOcr sends the start request (with its task token) to the ocr-start queue, which is
  # encrypted with the stack key.
  statement {
    sid       = "QueueOcrStarts"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.ocr_start.arn]
  }

  statement {
    sid       = "EncryptOcrStarts"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }

  # Step Functions delivers execution logs through CloudWatch Logs' vended-log delivery,
  # whose actions have no resource-level permissions: AWS documents "*" for them.
  statement {
    sid = "DeliverExecutionLogs"
    actions = [
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]
    resources = ["*"]
  }

  # X-Ray has no resource-level permissions for sending traces.
  dynamic "statement" {
    for_each = var.enable_tracing ? [1] : []

    content {
      sid       = "XRayTraces"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "state_machine" {
  name   = "invoke-workflow-and-log"
  role   = aws_iam_role.state_machine.id
  policy = data.aws_iam_policy_document.state_machine.json
}
