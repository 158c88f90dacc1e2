# The HTTP API: one Lambda proxy integration (payload 2.0) per http function of
# services/functions.json, one route per entry of its "routes".

locals {
  http_functions = { for k, f in local.functions : k => f if f.trigger == "http" }

  # "POST /jobs/{job_id}/start" -> { function = "api-uploads", method = "POST", path = "/jobs/{job_id}/start" }
  routes = merge([
    for k, f in local.http_functions : {
      for route in f.routes : route => {
        function = k
        method   = split(" ", route)[0]
        path     = split(" ", route)[1]
      }
    }
  ]...)
}

resource "aws_apigatewayv2_api" "http" {
  name          = "${var.name_prefix}-api"
  description   = "DocuFlow OCR: uploads, jobs, results and the review queue"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins  = var.web_origins
    allow_methods  = ["GET", "POST", "OPTIONS"]
    allow_headers  = ["content-type", "authorization"]
    expose_headers = ["content-type"]
    max_age        = 3600
  }
}

resource "aws_apigatewayv2_integration" "fn" {
  for_each = local.http_functions

  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_function.fn[each.key].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = min(30000, each.value.timeout * 1000)
}

resource "aws_apigatewayv2_route" "route" {
  #checkov:skip=CKV_AWS_309:The product brief defines no sign-in; the API is meant to sit behind the organisation's access layer. Add a JWT authorizer (Cognito or the company IdP) before exposing it to the internet: see infra/README.md.
  for_each = local.routes

  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.fn[each.value.function].id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      sourceIp           = "$context.identity.sourceIp"
      httpMethod         = "$context.httpMethod"
      routeKey           = "$context.routeKey"
      path               = "$context.path"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationStatus  = "$context.integrationStatus"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      userAgent          = "$context.identity.userAgent"
    })
  }

  default_route_settings {
    throttling_burst_limit = 100
    throttling_rate_limit  = 50
  }
}

# API Gateway may invoke each http function, for its own routes only. Path parameters
# become "*" in the source ARN (as SAM writes them).
resource "aws_lambda_permission" "api" {
  for_each = local.routes

  statement_id  = "api-${lower(each.value.method)}-${substr(sha1(each.key), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.value.function].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/${each.value.method}${replace(each.value.path, "/\\{[^}/]+\\}/", "*")}"
}
