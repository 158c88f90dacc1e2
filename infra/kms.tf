# One customer-managed key encrypts everything the stack stores: documents and OCR output
# (S3), jobs and audit (DynamoDB), queue and topic messages (SQS, SNS), logs, function
# environments and images. Invoices carry bank details: a key of our own gives a key
# policy to review, yearly rotation and a CloudTrail record of every decrypt, which the
# AWS-owned keys of SSE-S3 or DynamoDB's default do not. S3 Bucket Keys keep the KMS
# request cost of the bucket small.

resource "aws_kms_key" "this" {
  description             = "${var.name_prefix}: documents, OCR output, jobs, audit, queues, topics and logs"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_deletion_window_days
  policy                  = data.aws_iam_policy_document.kms.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.this.key_id
}

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" means this key only; the account-root statement is AWS's default and hands key use to IAM policies, which name this key's ARN.
  #checkov:skip=CKV_AWS_111:Same as above: in a key policy "*" is the key itself, not every resource.
  #checkov:skip=CKV_AWS_356:Same as above: key policies can only say "*" for the key they are attached to.

  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs encrypts the log groups of functions, API and state machine.
  statement {
    sid       = "CloudWatchLogsEncryptsThisStacksLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"]
    }
  }

  # S3 (object-created events), SNS (Textract completions) and CloudWatch (alarms) write
  # into encrypted queues and topics as services, not as a role of ours, so the key
  # policy must let them. Data-key actions only, and without source conditions: AWS's
  # own examples for these deliveries use none, and not every one of these services
  # sends aws:SourceAccount on its KMS calls (a condition would silently stop delivery).
  statement {
    sid       = "ServicesDeliverIntoEncryptedQueuesAndTopics"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com", "sns.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com"]
    }
  }
}
