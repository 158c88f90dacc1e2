# Functions with trigger "schedule" in services/functions.json: a rule on the account's
# default bus (the only bus that takes schedule expressions) invokes each at its
# "schedule", or at var.schedules[<function>] where a deployment sets one. Today that is
# event-sweep, which puts the events final-status writes still owe (ADR 0034).

locals {
  scheduled_functions = {
    for k, f in local.functions : k => lookup(var.schedules, k, f.schedule)
    if f.trigger == "schedule"
  }
}

resource "aws_cloudwatch_event_rule" "schedule" {
  for_each = local.scheduled_functions

  name                = "${local.function_names[each.key]}-schedule"
  description         = "Invokes ${local.function_names[each.key]} at ${each.value}"
  schedule_expression = each.value
}

resource "aws_cloudwatch_event_target" "schedule" {
  for_each = local.scheduled_functions

  rule      = aws_cloudwatch_event_rule.schedule[each.key].name
  target_id = each.key
  # The function's ARN, spelt out (as the webhook queue's is in events.tf) so the module
  # plans with mocked providers too, whose made-up ARNs the provider would refuse here.
  arn = "arn:${local.partition}:lambda:${var.region}:${local.account_id}:function:${local.function_names[each.key]}"

  depends_on = [aws_lambda_permission.schedule]
}

resource "aws_lambda_permission" "schedule" {
  for_each = local.scheduled_functions

  statement_id  = "schedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule[each.key].arn
}
