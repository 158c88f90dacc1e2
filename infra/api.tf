# The HTTP API: one route per operation of services/api/openapi.json (generated from the
# handlers by `docuflow openapi`), each to the Lambda proxy integration (payload 2.0) of
# the function its `x-docuflow-function` names.

locals {
  openapi      = jsondecode(file("${path.module}/../services/api/openapi.json"))
  http_methods = ["get", "put", "post", "delete", "patch", "head", "options"]

  # "<METHOD> <path>" (API Gateway's route key) -> { function = <its x-docuflow-function>, method, path }
  operation_routes = merge([
    for path, item in local.openapi.paths : {
      for method, operation in item : "${upper(method)} ${path}" => {
        function = operation["x-docuflow-function"]
        method   = upper(method)
        path     = path
      } if contains(local.http_methods, method)
    }
  ]...)

  # The functions that serve each path: one per path (checked below).
  path_functions = {
    for path, item in local.openapi.paths : path => distinct([
      for method, operation in item : operation["x-docuflow-function"] if contains(local.http_methods, method)
    ])
  }

  # Plus "ANY <path>" for every path, to the function that serves it: API Gateway itself
  # answers a method no route names with 404, while the function answers 405 with the
  # Allow header (an exact method's route wins over ANY).
  routes = merge(local.operation_routes, {
    for path, functions in local.path_functions : "ANY ${path}" => {
      function = functions[0]
      method   = "ANY"
      path     = path
    }
  })

  # The functions the document routes to, and those functions.json says API Gateway invokes.
  routed_functions = toset([for route in values(local.routes) : route.function])
  http_functions   = toset([for k, f in local.functions : k if f.trigger == "http"])
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

  lifecycle {
    precondition {
      condition     = alltrue([for path, functions in local.path_functions : length(functions) == 1])
      error_message = "Every path of services/api/openapi.json must be served by one function (its ANY route answers 405 for the others): ${jsonencode({ for path, functions in local.path_functions : path => functions if length(functions) != 1 })}."
    }
    precondition {
      condition     = local.routed_functions == local.http_functions
      error_message = "services/api/openapi.json routes to ${jsonencode(sort(local.routed_functions))}, but the http functions of services/functions.json are ${jsonencode(sort(local.http_functions))}: every http function serves at least one route, and only they do (run `uv run docuflow openapi`)."
    }
  }
}

resource "aws_apigatewayv2_integration" "fn" {
  for_each = local.routed_functions

  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_function.fn[each.key].invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = min(30000, local.functions[each.key].timeout * 1000)
}

# Every route needs a token of the user pool, issued to the web app's client: API Gateway
# answers 401 itself for a missing, expired, foreign or unsigned token, and hands the
# verified claims to the function (requestContext.authorizer.jwt.claims). CORS preflights
# are answered from cors_configuration before any authorizer runs.
resource "aws_apigatewayv2_authorizer" "cognito" {
  api_id           = aws_apigatewayv2_api.http.id
  name             = "${var.name_prefix}-cognito"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = "https://${aws_cognito_user_pool.users.endpoint}"
    audience = [aws_cognito_user_pool_client.web.id]
  }
}

resource "aws_apigatewayv2_route" "route" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.http.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.fn[each.value.function].id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.cognito.id
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

# API Gateway may invoke each function, for its own routes only. Path parameters
# become "*" in the source ARN (as SAM writes them).
resource "aws_lambda_permission" "api" {
  for_each = local.routes

  statement_id  = "api-${lower(each.value.method)}-${substr(sha1(each.key), 0, 12)}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.value.function].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/${each.value.method == "ANY" ? "*" : each.value.method}${replace(each.value.path, "/\\{[^}/]+\\}/", "*")}"
}
