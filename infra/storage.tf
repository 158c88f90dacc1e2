# The raw-document bucket: uploaded documents under raw/, Textract's raw JSON under ocr/,
# normalized results under results/ (DESIGN "Tables and objects").

resource "aws_s3_bucket" "raw" {
  #checkov:skip=CKV_AWS_18:Server access logs need a separate log bucket owned by the account's logging setup; object-level access is audited through CloudTrail data events and every decrypt through the KMS key.
  #checkov:skip=CKV_AWS_144:Cross-region replication doubles storage for documents the source systems still hold; versioning and KMS protect against loss and misuse in one region. Add replication per account policy.
  bucket = local.raw_bucket_name
}

resource "aws_s3_bucket_ownership_controls" "raw" {
  bucket = aws_s3_bucket.raw.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "raw" {
  bucket                  = aws_s3_bucket.raw.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "raw" {
  bucket = aws_s3_bucket.raw.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "raw" {
  bucket = aws_s3_bucket.raw.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    # One data key per bucket instead of one KMS call per object: far fewer KMS requests.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "raw" {
  bucket = aws_s3_bucket.raw.id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Exports written for a link (GET /exports?delivery=link, ADR 0029): the link lives
  # minutes, the file a day.
  rule {
    id     = "expire-exports"
    status = "Enabled"

    filter {
      prefix = "exports/"
    }

    expiration {
      days = 1
    }
  }

  rule {
    id     = "expire-replaced-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.raw_noncurrent_version_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.raw]
}

# The browser uploads with the presigned PUT the API returns and a reviewer opens the
# document with a presigned GET, both straight against the bucket.
resource "aws_s3_bucket_cors_configuration" "raw" {
  count  = length(var.web_origins) > 0 ? 1 : 0
  bucket = aws_s3_bucket.raw.id

  cors_rule {
    allowed_origins = var.web_origins
    allowed_methods = ["PUT", "GET"]
    allowed_headers = ["Content-Type", "If-None-Match"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

data "aws_iam_policy_document" "raw_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.raw.arn, "${aws_s3_bucket.raw.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "raw" {
  bucket = aws_s3_bucket.raw.id
  policy = data.aws_iam_policy_document.raw_bucket.json

  # The public access block must be in place before a policy is attached.
  depends_on = [aws_s3_bucket_public_access_block.raw]
}

# Every new document under raw/ goes to the intake queue (then the intake function).
resource "aws_s3_bucket_notification" "raw" {
  bucket = aws_s3_bucket.raw.id

  queue {
    id            = "raw-object-created-to-intake"
    queue_arn     = aws_sqs_queue.intake.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = "raw/"
  }

  # S3 sends a test event when the notification is saved; the queue must already accept
  # it: its access policy is part of the queue (messaging.tf), so queue_arn orders them.
}
