# Jobs and audit (DESIGN "Runtime contracts"): keys, attribute types and indexes come from
# tables.json, the one definition the handler tests create their moto tables from too.

locals {
  tables = jsondecode(file("${path.module}/tables.json")).tables
}

resource "aws_dynamodb_table" "this" {
  for_each = local.tables

  name         = "${var.name_prefix}-${each.key}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = each.value.hash_key
  range_key    = try(each.value.range_key, null)

  dynamic "attribute" {
    for_each = each.value.attributes

    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = each.value.global_secondary_indexes

    content {
      name            = global_secondary_index.key
      hash_key        = global_secondary_index.value.hash_key
      range_key       = try(global_secondary_index.value.range_key, null)
      projection_type = global_secondary_index.value.projection_type
    }
  }

  dynamic "ttl" {
    for_each = try([each.value.ttl_attribute], [])

    content {
      attribute_name = ttl.value
      enabled        = true
    }
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

# The tables were two resources before they came from tables.json: existing state moves
# instead of the tables being replaced.
moved {
  from = aws_dynamodb_table.jobs
  to   = aws_dynamodb_table.this["jobs"]
}

moved {
  from = aws_dynamodb_table.audit
  to   = aws_dynamodb_table.this["audit"]
}
