# Jobs and audit (DESIGN "Runtime contracts").

resource "aws_dynamodb_table" "jobs" {
  name         = local.jobs_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "job_id"

  attribute {
    name = "job_id"
    type = "S"
  }

  attribute {
    name = "status"
    type = "S"
  }

  attribute {
    name = "owner_id"
    type = "S"
  }

  attribute {
    name = "created_at"
    type = "S"
  }

  attribute {
    name = "file_sha256"
    type = "S"
  }

  attribute {
    name = "invoice_key"
    type = "S"
  }

  # The review queue and status listings, newest first.
  global_secondary_index {
    name            = "status-created_at-index"
    hash_key        = "status"
    range_key       = "created_at"
    projection_type = "ALL"
  }

  # A clerk's own jobs.
  global_secondary_index {
    name            = "owner_id-created_at-index"
    hash_key        = "owner_id"
    range_key       = "created_at"
    projection_type = "ALL"
  }

  # The same file uploaded again (possible_duplicate).
  global_secondary_index {
    name            = "file_sha256-index"
    hash_key        = "file_sha256"
    projection_type = "ALL"
  }

  # The same vendor and invoice number in another file (possible_duplicate).
  global_secondary_index {
    name            = "invoice_key-index"
    hash_key        = "invoice_key"
    projection_type = "ALL"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.this.arn
  }

  deletion_protection_enabled = var.deletion_protection
}

resource "aws_dynamodb_table" "audit" {
  name         = local.audit_table_name
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "job_id"
  range_key    = "sk"

  attribute {
    name = "job_id"
    type = "S"
  }

  # "<ISO time>#<event_id>": one immutable record per event, in time order.
  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.this.arn
  }

  deletion_protection_enabled = var.deletion_protection
}
