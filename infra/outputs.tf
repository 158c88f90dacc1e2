output "api_id" {
  description = "ID of the HTTP API (the local cloud serves it at <endpoint>/_aws/execute-api/<api_id>/)."
  value       = aws_apigatewayv2_api.http.id
}

output "api_url" {
  description = "Base URL of the HTTP API, without a trailing slash: the $default stage on AWS, the emulator's execute-api path on a local cloud."
  # The emulator serves API Gateway v2 under this path (DESIGN "Runtime contracts");
  # on AWS the stage's invoke URL is the address.
  value = local.use_local_endpoint ? "${var.local_endpoint}/_aws/execute-api/${aws_apigatewayv2_api.http.id}" : trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")
}

output "user_pool_id" {
  description = "ID of the Cognito user pool (create the first admin in it: docs/deploy-aws.md)."
  value       = aws_cognito_user_pool.users.id
}

output "user_pool_client_id" {
  description = "ID of the web app's user pool client (no secret): the audience of the API's JWT authorizer."
  value       = aws_cognito_user_pool_client.web.id
}

output "raw_bucket" {
  description = "Name of the raw-document bucket (RAW_BUCKET)."
  value       = aws_s3_bucket.raw.bucket
}

output "jobs_table" {
  description = "Name of the jobs table (JOBS_TABLE)."
  value       = aws_dynamodb_table.this["jobs"].name
}

output "audit_table" {
  description = "Name of the audit table (AUDIT_TABLE)."
  value       = aws_dynamodb_table.this["audit"].name
}

output "vendors_table" {
  description = "Name of the vendors table (VENDORS_TABLE)."
  value       = aws_dynamodb_table.this["vendors"].name
}

output "state_machine_arn" {
  description = "ARN of the invoice pipeline state machine (STATE_MACHINE_ARN)."
  value       = aws_sfn_state_machine.pipeline.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue (DLQ_URL)."
  value       = aws_sqs_queue.dlq.url
}

output "intake_queue_url" {
  description = "URL of the intake queue that receives the bucket's ObjectCreated events under raw/."
  value       = aws_sqs_queue.intake.url
}

output "ocr_completion_queue_url" {
  description = "URL of the queue that receives Textract completions through the SNS topic."
  value       = aws_sqs_queue.ocr_completion.url
}

output "textract_sns_topic_arn" {
  description = "ARN of the topic Textract publishes completions to (TEXTRACT_SNS_TOPIC_ARN)."
  value       = aws_sns_topic.textract.arn
}

output "textract_role_arn" {
  description = "ARN of the role Textract assumes to publish to the topic (TEXTRACT_ROLE_ARN)."
  value       = aws_iam_role.textract.arn
}

output "function_names" {
  description = "Deployed function name per services/functions.json key, e.g. { \"api-uploads\" = \"docuflow-api-uploads\" }."
  value       = { for k, f in aws_lambda_function.fn : k => f.function_name }
}

output "function_environments" {
  description = "Environment variables of each function (resource names and settings only, no secrets): what a local runner or compose gives each handler."
  value       = local.function_environment
}

output "ecr_repository_url" {
  description = "URL of the ECR repository for the function image (null when create_ecr is false)."
  value       = var.create_ecr ? aws_ecr_repository.functions[0].repository_url : null
}

output "kms_key_arn" {
  description = "ARN of the stack's customer-managed KMS key."
  value       = aws_kms_key.this.arn
}
