# The project's EventBridge bus: one event per final status of a job (ADR 0027).
#
#   parse-and-score / read-einvoice (COMPLETED), api-review (APPROVED, REJECTED),
#   mark-failed (FAILED) -> bus (source "docuflow", detail-type "Invoice Approved", ...)
#
# The event's JSON Schema is shared/docuflow/events/invoice-event.v1.schema.json; ERPs and
# other consumers add rules of their own on this bus (docs/integrations.md).

resource "aws_cloudwatch_event_bus" "this" {
  name = "${var.name_prefix}-events"
}

# ---------------------------------------------------------------------------------------
# Webhooks (ADR 0028): bus -> rule -> webhook queue -> webhook-delivery -> tenants' URLs.
# Retries are delayed messages the function sends to its own queue; a delivery out of
# attempts, or a message that keeps failing, lands in the webhook dead-letter queue.
# ---------------------------------------------------------------------------------------

locals {
  webhook_queue_name = "${var.name_prefix}-webhooks"
  webhook_queue_arn  = "arn:${local.partition}:sqs:${var.region}:${local.account_id}:${local.webhook_queue_name}"
}

resource "aws_cloudwatch_event_rule" "webhooks" {
  name           = "${var.name_prefix}-webhooks"
  description    = "Every DocuFlow invoice event, to the webhook delivery queue"
  event_bus_name = aws_cloudwatch_event_bus.this.name
  event_pattern  = jsonencode({ source = ["docuflow"] })
}

resource "aws_cloudwatch_event_target" "webhooks" {
  rule           = aws_cloudwatch_event_rule.webhooks.name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = "webhook-queue"
  arn            = aws_sqs_queue.webhooks.arn
}

resource "aws_sqs_queue" "webhooks_dlq" {
  name                      = "${var.name_prefix}-webhooks-dlq"
  message_retention_seconds = 1209600 # 14 days: time to look and send again
  kms_master_key_id         = aws_kms_key.this.arn
}

resource "aws_sqs_queue" "webhooks" {
  name = local.webhook_queue_name
  # Six times the consumer's timeout, as AWS asks of an event source.
  visibility_timeout_seconds = 6 * local.functions[local.queue_consumers["webhooks"]].timeout
  # Longer than the retries take (about a day), so no attempt expires in the queue.
  message_retention_seconds = 345600
  kms_master_key_id         = aws_kms_key.this.arn
  policy                    = data.aws_iam_policy_document.webhook_queue.json

  lifecycle {
    postcondition {
      condition     = self.arn == local.webhook_queue_arn
      error_message = "The webhook queue's ARN is ${self.arn}, not ${local.webhook_queue_arn} as its access policy says."
    }
  }
}

resource "aws_sqs_queue_redrive_policy" "webhooks" {
  queue_url = aws_sqs_queue.webhooks.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.webhooks_dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

data "aws_iam_policy_document" "webhook_queue" {
  statement {
    sid       = "BusRuleSendsEvents"
    actions   = ["sqs:SendMessage"]
    resources = [local.webhook_queue_arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.webhooks.arn]
    }
  }
}

# EventBridge sends into the queue encrypted with the stack key: infra/kms.tf lets
# events.amazonaws.com use it for that.

# A delivery given up after about a day, or a message that kept failing: a receiver that
# needs a person (the delivery log says which, and "send again" retries it).
resource "aws_cloudwatch_metric_alarm" "webhooks_dlq_depth" {
  count = var.enable_alarms ? 1 : 0

  alarm_name          = "${var.name_prefix}-webhooks-dlq-not-empty"
  alarm_description   = "Webhook deliveries were given up: see ${aws_sqs_queue.webhooks_dlq.name} and the endpoints' delivery logs."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.webhooks_dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
