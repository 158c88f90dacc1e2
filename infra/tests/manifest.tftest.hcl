# `terraform test` (run by tests/static/test_terraform.py): plans the module against a
# mocked aws provider, offline, and checks the planned resources against
# services/functions.json, the one list of functions, and services/api/openapi.json, the
# API document generated from the handlers.

mock_provider "aws" {
  # Mocked data sources return random strings; the provider still validates policy JSON.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "123456789012" }
  }

  override_data {
    target = data.aws_partition.current
    values = { partition = "aws" }
  }
}

variables {
  name_prefix = "dftest"
  image_uri   = "123456789012.dkr.ecr.us-east-1.amazonaws.com/docuflow:test"
}

run "every_function_of_the_manifest_and_nothing_else" {
  command = plan

  assert {
    condition     = toset(keys(aws_lambda_function.fn)) == toset(keys(jsondecode(file("../services/functions.json")).functions))
    error_message = "The Lambda functions Terraform plans differ from services/functions.json."
  }

  assert {
    condition     = alltrue([for k, f in jsondecode(file("../services/functions.json")).functions : aws_lambda_function.fn[k].function_name == "dftest-${k}"])
    error_message = "A function is not named <name_prefix>-<manifest key>."
  }

  assert {
    condition     = alltrue([for k, f in jsondecode(file("../services/functions.json")).functions : aws_lambda_function.fn[k].package_type == "Image" && aws_lambda_function.fn[k].image_uri == var.image_uri])
    error_message = "Every function must run var.image_uri as a container image."
  }

  assert {
    condition     = alltrue([for k, f in jsondecode(file("../services/functions.json")).functions : aws_lambda_function.fn[k].image_config[0].command == tolist([f.handler])])
    error_message = "A function's image command is not its manifest handler."
  }

  assert {
    condition     = alltrue([for k, f in jsondecode(file("../services/functions.json")).functions : aws_lambda_function.fn[k].timeout == f.timeout && aws_lambda_function.fn[k].memory_size == f.memory_size])
    error_message = "A function's timeout or memory differs from services/functions.json."
  }

  assert {
    condition     = alltrue([for k, f in jsondecode(file("../services/functions.json")).functions : aws_lambda_function.fn[k].reserved_concurrent_executions == lookup(f, "reserved_concurrency", -1)])
    error_message = "A function's reserved concurrency differs from services/functions.json."
  }

  assert {
    condition     = alltrue([for k, f in jsondecode(file("../services/functions.json")).functions : aws_lambda_function.fn[k].tracing_config[0].mode == "Active"])
    error_message = "Every function must trace with X-Ray by default."
  }

  assert {
    condition = alltrue([
      for k, f in jsondecode(file("../services/functions.json")).functions :
      aws_cloudwatch_log_group.fn[k].name == "/aws/lambda/dftest-${k}" && aws_cloudwatch_log_group.fn[k].retention_in_days == 365
    ])
    error_message = "Every function needs its own log group with retention."
  }

  assert {
    condition = toset(keys(aws_lambda_event_source_mapping.sqs)) == toset([
      for f in values(jsondecode(file("../services/functions.json")).functions) : trimprefix(f.trigger, "sqs:") if startswith(f.trigger, "sqs:")
    ])
    error_message = "Every sqs:<queue> trigger needs exactly one event source mapping."
  }

  assert {
    condition     = alltrue([for m in values(aws_lambda_event_source_mapping.sqs) : m.function_response_types == toset(["ReportBatchItemFailures"])])
    error_message = "SQS event source mappings must report batch item failures."
  }

  assert {
    condition = toset(keys(local.workflow_functions)) == toset([
      for k, f in jsondecode(file("../services/functions.json")).functions : k if f.trigger == "states"
    ])
    error_message = "The state machine must be able to invoke exactly the functions whose trigger is states."
  }

  assert {
    condition     = alltrue([for k, _ in local.workflow_functions : contains(keys(local.state_machine_template_vars), "${replace(k, "-", "_")}_arn")])
    error_message = "Every workflow function must be passed to the ASL template as <name>_arn."
  }
  assert {
    condition = alltrue([
      for k, f in jsondecode(file("../services/functions.json")).functions :
      toset(keys(aws_lambda_function.fn[k].environment[0].variables)) == setunion(toset(f.settings), ["POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_TRACE_DISABLED", "LOG_LEVEL"])
    ])
    error_message = "A function's environment is not exactly its manifest settings plus the Powertools ones."
  }
}

run "every_scheduled_function_is_fired_by_a_rule_at_its_schedule" {
  command = plan

  variables {
    schedules = { "event-sweep" = "rate(1 minute)" }
  }

  assert {
    condition = toset(keys(aws_cloudwatch_event_rule.schedule)) == toset([
      for k, f in jsondecode(file("../services/functions.json")).functions : k if f.trigger == "schedule"
    ]) && length(aws_cloudwatch_event_rule.schedule) > 0
    error_message = "Every function whose trigger is schedule needs exactly one schedule rule."
  }

  assert {
    condition = alltrue([
      for k, f in jsondecode(file("../services/functions.json")).functions :
      aws_cloudwatch_event_rule.schedule[k].schedule_expression == lookup(var.schedules, k, f.schedule)
      if f.trigger == "schedule"
    ]) && aws_cloudwatch_event_rule.schedule["event-sweep"].schedule_expression == "rate(1 minute)"
    error_message = "A schedule rule does not fire at var.schedules' or the manifest's expression."
  }

  assert {
    condition = alltrue([
      for k, _ in aws_cloudwatch_event_rule.schedule :
      aws_lambda_permission.schedule[k].principal == "events.amazonaws.com" && aws_lambda_permission.schedule[k].function_name == "dftest-${k}"
    ])
    error_message = "EventBridge must be allowed to invoke each scheduled function (and no other)."
  }
}

run "schedules_are_rate_or_cron_expressions" {
  command = plan

  variables {
    schedules = { "event-sweep" = "every 5 minutes" }
  }

  expect_failures = [var.schedules]
}

run "every_operation_of_the_openapi_document_is_routed_to_its_function" {
  command = plan

  # The ids and ARNs that tie a route to its integration and function are computed; the
  # mock makes up a distinct value for each instance during the plan, so they compare.
  override_resource {
    target          = aws_apigatewayv2_integration.fn
    override_during = plan
  }

  override_resource {
    target          = aws_lambda_function.fn
    override_during = plan
  }

  override_resource {
    target          = aws_apigatewayv2_api.http
    override_during = plan
    values          = { execution_arn = "arn:aws:execute-api:us-east-1:123456789012:mockapi" }
  }

  assert {
    condition = toset(keys(aws_apigatewayv2_route.route)) == toset(flatten([
      for path, item in jsondecode(file("../services/api/openapi.json")).paths : concat(
        [for method, _ in item : "${upper(method)} ${path}"], ["ANY ${path}"]
      )
    ]))
    error_message = "The HTTP API's routes differ from the operations of services/api/openapi.json, each path's ANY route aside."
  }

  assert {
    condition = alltrue(flatten([
      for path, item in jsondecode(file("../services/api/openapi.json")).paths : [
        for method, operation in item :
        aws_apigatewayv2_route.route["ANY ${path}"].target == "integrations/${aws_apigatewayv2_integration.fn[operation["x-docuflow-function"]].id}"
        && aws_lambda_permission.api["ANY ${path}"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:mockapi/*/*${replace(path, "/\\{[^}/]+\\}/", "*")}"
      ]
    ]))
    error_message = "A path's ANY route (405 for other methods) must go to the function that serves the path, and only for that path."
  }

  assert {
    condition = alltrue(flatten([
      for path, item in jsondecode(file("../services/api/openapi.json")).paths : [
        for method, operation in item :
        aws_apigatewayv2_route.route["${upper(method)} ${path}"].target == "integrations/${aws_apigatewayv2_integration.fn[operation["x-docuflow-function"]].id}"
      ]
    ]))
    error_message = "A route does not target the integration of the function its x-docuflow-function names."
  }

  assert {
    condition = alltrue([
      for k, integration in aws_apigatewayv2_integration.fn :
      integration.integration_uri == aws_lambda_function.fn[k].invoke_arn && integration.payload_format_version == "2.0" && integration.integration_type == "AWS_PROXY"
    ])
    error_message = "An integration does not proxy (payload 2.0) to its own function."
  }

  assert {
    condition     = toset(keys(aws_apigatewayv2_integration.fn)) == toset([for k, f in jsondecode(file("../services/functions.json")).functions : k if f.trigger == "http"])
    error_message = "There must be one integration per http function of services/functions.json."
  }

  assert {
    condition = alltrue(flatten([
      for path, item in jsondecode(file("../services/api/openapi.json")).paths : [
        for method, operation in item :
        aws_lambda_permission.api["${upper(method)} ${path}"].function_name == aws_lambda_function.fn[operation["x-docuflow-function"]].function_name
        && aws_lambda_permission.api["${upper(method)} ${path}"].source_arn == "arn:aws:execute-api:us-east-1:123456789012:mockapi/*/${upper(method)}${replace(path, "/\\{[^}/]+\\}/", "*")}"
      ]
    ]))
    error_message = "API Gateway may invoke a function only for the routes the document gives it."
  }
}

run "reserved_concurrency_can_be_turned_off" {
  command = plan

  variables {
    enable_reserved_concurrency = false
  }

  assert {
    condition     = alltrue([for f in values(aws_lambda_function.fn) : f.reserved_concurrent_executions == -1])
    error_message = "enable_reserved_concurrency = false must leave every function unreserved."
  }
}

# Bad settings are refused by the variables' own validation rules.

run "ocr_mode_must_be_a_known_api" {
  command = plan

  variables {
    ocr_mode = "textract"
  }

  expect_failures = [var.ocr_mode]
}

run "image_uri_must_not_be_latest" {
  command = plan

  variables {
    image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/docuflow:latest"
  }

  expect_failures = [var.image_uri]
}

run "image_uri_must_be_an_ecr_reference" {
  command = plan

  variables {
    image_uri = "docuflow:local"
  }

  expect_failures = [var.image_uri]
}

run "local_endpoint_has_no_path" {
  command = plan

  variables {
    local_endpoint = "http://127.0.0.1:4566/"
  }

  expect_failures = [var.local_endpoint]
}

run "web_origins_have_no_trailing_slash" {
  command = plan

  variables {
    web_origins = ["http://127.0.0.1:4173/"]
  }

  expect_failures = [var.web_origins]
}

run "confidence_threshold_is_a_percentage" {
  command = plan

  variables {
    confidence_threshold = 101
  }

  expect_failures = [var.confidence_threshold]
}

run "confidence_thresholds_are_percentages" {
  command = plan

  variables {
    confidence_thresholds = { total_amount = -1 }
  }

  expect_failures = [var.confidence_thresholds]
}

run "log_retention_is_a_cloudwatch_value" {
  command = plan

  variables {
    log_retention_days = 2
  }

  expect_failures = [var.log_retention_days]
}

run "state_machine_log_level_is_error_or_all" {
  command = plan

  variables {
    state_machine_log_level = "OFF"
  }

  expect_failures = [var.state_machine_log_level]
}

run "max_polls_is_whole" {
  command = plan

  variables {
    max_polls = 2.5
  }

  expect_failures = [var.max_polls]
}

run "start_ocr_takes_a_batch_it_can_start_within_its_timeout" {
  command = plan

  variables {
    textract_start_tps = 0.2
  }

  assert {
    condition     = aws_lambda_event_source_mapping.sqs["ocr-start"].batch_size == 2
    error_message = "At 0.2 starts a second over two containers (10 s a start) and 20 s of a 30 s timeout, a batch is 2."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.sqs["intake"].batch_size == 10
    error_message = "The other queues' consumers take batches of ten."
  }
}

run "start_ocr_takes_batches_of_ten_at_the_default_quota" {
  command = plan

  assert {
    condition     = aws_lambda_event_source_mapping.sqs["ocr-start"].batch_size == 10
    error_message = "At the default 5 starts a second a container starts ten well within its timeout."
  }
}
