# Log groups (with retention and the stack key) for every function, the API and the
# state machine, and the alarms that say something is wrong.

resource "aws_cloudwatch_log_group" "fn" {
  for_each = local.functions

  # The name Lambda writes to by default, created first so it has retention and encryption.
  name              = "/aws/lambda/${local.function_names[each.key]}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/aws/apigateway/${var.name_prefix}-api"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

# Under /aws/vendedlogs/ so Step Functions' log delivery does not grow the account's
# CloudWatch Logs resource policy with one entry per state machine.
resource "aws_cloudwatch_log_group" "state_machine" {
  name              = "/aws/vendedlogs/states/${local.state_machine_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

# ---------------------------------------------------------------------------------------
# Alarms
# ---------------------------------------------------------------------------------------

locals {
  alarm_actions = var.enable_alarms && var.alarm_email != "" ? [aws_sns_topic.alarms[0].arn] : []
}

resource "aws_sns_topic" "alarms" {
  count = var.enable_alarms && var.alarm_email != "" ? 1 : 0

  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = aws_kms_key.this.arn
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.enable_alarms && var.alarm_email != "" ? 1 : 0

  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Any execution that ends FAILED, TIMED_OUT or ABORTED: a job the catch path could not
# handle, or the catch path itself failing.
resource "aws_cloudwatch_metric_alarm" "executions_failed" {
  for_each = var.enable_alarms ? toset(["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"]) : toset([])

  alarm_name          = "${local.state_machine_name}-${each.key}"
  alarm_description   = "The invoice pipeline had ${each.key} (see the state machine's execution log)."
  namespace           = "AWS/States"
  metric_name         = each.key
  dimensions          = { StateMachineArn = aws_sfn_state_machine.pipeline.arn }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# A message in the dead-letter queue is a job that needs a person: a failed job (from
# mark-failed) or an intake / OCR-completion message that kept failing.
resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  count = var.enable_alarms ? 1 : 0

  alarm_name          = "${var.name_prefix}-dlq-not-empty"
  alarm_description   = "Messages are waiting in ${aws_sqs_queue.dlq.name}: failed jobs or undeliverable events."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = var.enable_alarms ? toset(keys(local.functions)) : toset([])

  alarm_name          = "${local.function_names[each.key]}-errors"
  alarm_description   = "${local.function_names[each.key]} raised errors (unhandled exceptions or timeouts)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.fn[each.key].function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
