# Queues and the Textract completion topic.
#
#   S3 ObjectCreated (raw/) -> intake queue -> intake function
#   Textract completion -> SNS topic -> ocr-completion queue -> ocr-callback function
#   Both queues redrive to the dead-letter queue, which mark-failed also writes to.

locals {
  # The function each queue feeds (trigger "sqs:<queue>" in services/functions.json).
  queue_consumers = { for k, f in local.functions : trimprefix(f.trigger, "sqs:") => k if startswith(f.trigger, "sqs:") }

  queue_arns = {
    "intake"         = aws_sqs_queue.intake.arn
    "ocr-completion" = aws_sqs_queue.ocr_completion.arn
  }

  # AWS asks for a visibility timeout of at least six times the consumer's timeout, so a
  # message is not handed out again while a slow batch (and its retries) still runs.
  intake_visibility_timeout         = 6 * local.functions[local.queue_consumers["intake"]].timeout
  ocr_completion_visibility_timeout = 6 * local.functions[local.queue_consumers["ocr-completion"]].timeout
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name_prefix}-dlq"
  message_retention_seconds = 1209600 # 14 days, the SQS maximum: time to look and retry.
  kms_master_key_id         = aws_kms_key.this.arn
}

resource "aws_sqs_queue" "intake" {
  name                       = "${var.name_prefix}-intake"
  visibility_timeout_seconds = local.intake_visibility_timeout
  message_retention_seconds  = 345600 # 4 days
  kms_master_key_id          = aws_kms_key.this.arn

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue" "ocr_completion" {
  name                       = "${var.name_prefix}-ocr-completion"
  visibility_timeout_seconds = local.ocr_completion_visibility_timeout
  message_retention_seconds  = 345600
  kms_master_key_id          = aws_kms_key.this.arn

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

data "aws_iam_policy_document" "intake_queue" {
  statement {
    sid       = "RawBucketSendsObjectCreated"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.intake.arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.raw.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "intake" {
  queue_url = aws_sqs_queue.intake.id
  policy    = data.aws_iam_policy_document.intake_queue.json
}

data "aws_iam_policy_document" "ocr_completion_queue" {
  statement {
    sid       = "TextractTopicSendsCompletions"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.ocr_completion.arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.textract.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "ocr_completion" {
  queue_url = aws_sqs_queue.ocr_completion.id
  policy    = data.aws_iam_policy_document.ocr_completion_queue.json
}

# Textract publishes job completions here (NotificationChannel of Start*Analysis).
# Textract requires the topic name to begin with "AmazonTextract" when the publishing
# role uses the AWS-managed AmazonTextractServiceRole policy; our own role names the
# topic's ARN instead, but the name keeps to the convention so either works.
resource "aws_sns_topic" "textract" {
  name              = "AmazonTextract-${var.name_prefix}-completion"
  kms_master_key_id = aws_kms_key.this.arn
}

# The ocr-callback function reads the SNS envelope (raw delivery off): its Message field
# is Textract's completion JSON with JobId, Status, API and JobTag (= job id).
resource "aws_sns_topic_subscription" "textract_to_ocr_completion" {
  topic_arn            = aws_sns_topic.textract.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.ocr_completion.arn
  raw_message_delivery = false

  depends_on = [aws_sqs_queue_policy.ocr_completion]
}
