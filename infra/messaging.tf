# Queues and the Textract completion topic.
#
#   S3 ObjectCreated (raw/) -> intake queue -> intake function
#   StartOcr (Step Functions, with its task token) -> ocr-start queue -> start-ocr function,
#     which starts Textract at the account's quota (ADR 0032)
#   Textract completion -> SNS topic -> ocr-completion queue -> ocr-callback function
#   The queues redrive to the dead-letter queue, which mark-failed also writes to.

locals {
  # The function each queue feeds (trigger "sqs:<queue>" in services/functions.json).
  queue_consumers = { for k, f in local.functions : trimprefix(f.trigger, "sqs:") => k if startswith(f.trigger, "sqs:") }

  queue_arns = {
    "intake"         = aws_sqs_queue.intake.arn
    "ocr-completion" = aws_sqs_queue.ocr_completion.arn
    "ocr-start"      = aws_sqs_queue.ocr_start.arn
    "webhooks"       = aws_sqs_queue.webhooks.arn
  }

  # Kept off Terraform's critical path (the AWS provider waits ~25 s after every change of
  # queue attributes until six reads agree): each queue's access policy is an argument of
  # the queue, not a separate aws_sqs_queue_policy waited for in series, and the redrive to
  # the dead-letter queue is an aws_sqs_queue_redrive_policy, so the three queues are
  # created in parallel (SQS refuses a redrive to a queue that does not exist yet). A queue
  # cannot name its own `arn`, so its policy uses the ARN built from its name, and a
  # postcondition checks that it is the ARN AWS returned.
  intake_queue_name         = "${var.name_prefix}-intake"
  ocr_completion_queue_name = "${var.name_prefix}-ocr-completion"
  intake_queue_arn          = "arn:${local.partition}:sqs:${var.region}:${local.account_id}:${local.intake_queue_name}"
  ocr_completion_queue_arn  = "arn:${local.partition}:sqs:${var.region}:${local.account_id}:${local.ocr_completion_queue_name}"

  # AWS asks for a visibility timeout of at least six times the consumer's timeout, so a
  # message is not handed out again while a slow batch (and its retries) still runs.
  intake_visibility_timeout         = 6 * local.functions[local.queue_consumers["intake"]].timeout
  ocr_completion_visibility_timeout = 6 * local.functions[local.queue_consumers["ocr-completion"]].timeout
  ocr_start_visibility_timeout      = 6 * local.functions[local.queue_consumers["ocr-start"]].timeout
}

resource "aws_sqs_queue" "dlq" {
  name                      = "${var.name_prefix}-dlq"
  message_retention_seconds = 1209600 # 14 days, the SQS maximum: time to look and retry.
  kms_master_key_id         = aws_kms_key.this.arn
}

resource "aws_sqs_queue" "intake" {
  name                       = local.intake_queue_name
  visibility_timeout_seconds = local.intake_visibility_timeout
  message_retention_seconds  = 345600 # 4 days
  kms_master_key_id          = aws_kms_key.this.arn
  policy                     = data.aws_iam_policy_document.intake_queue.json

  lifecycle {
    postcondition {
      condition     = self.arn == local.intake_queue_arn
      error_message = "The intake queue's ARN is ${self.arn}, not ${local.intake_queue_arn} as its access policy says."
    }
  }
}

resource "aws_sqs_queue" "ocr_completion" {
  name                       = local.ocr_completion_queue_name
  visibility_timeout_seconds = local.ocr_completion_visibility_timeout
  message_retention_seconds  = 345600
  kms_master_key_id          = aws_kms_key.this.arn
  policy                     = data.aws_iam_policy_document.ocr_completion_queue.json

  lifecycle {
    postcondition {
      condition     = self.arn == local.ocr_completion_queue_arn
      error_message = "The ocr-completion queue's ARN is ${self.arn}, not ${local.ocr_completion_queue_arn} as its access policy says."
    }
  }
}

# Start requests of StartOcr, sent by the state machine's role (an identity policy in the
# same account: no queue policy needed). A burst waits here, in order, for its turn at
# Textract's start quota; StartOcr's TimeoutSeconds bounds that wait.
resource "aws_sqs_queue" "ocr_start" {
  name                       = "${var.name_prefix}-ocr-start"
  visibility_timeout_seconds = local.ocr_start_visibility_timeout
  message_retention_seconds  = 345600
  kms_master_key_id          = aws_kms_key.this.arn
}

resource "aws_sqs_queue_redrive_policy" "ocr_start" {
  queue_url = aws_sqs_queue.ocr_start.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

# Messages a consumer fails max_receive_count times move to the dead-letter queue. On the
# first deploy the consumers may start a few seconds before this is attached; a message
# received then still counts its receives and is moved on the next failure.
resource "aws_sqs_queue_redrive_policy" "intake" {
  queue_url = aws_sqs_queue.intake.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue_redrive_policy" "ocr_completion" {
  queue_url = aws_sqs_queue.ocr_completion.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

data "aws_iam_policy_document" "intake_queue" {
  statement {
    sid       = "RawBucketSendsObjectCreated"
    actions   = ["sqs:SendMessage"]
    resources = [local.intake_queue_arn]

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

data "aws_iam_policy_document" "ocr_completion_queue" {
  statement {
    sid       = "TextractTopicSendsCompletions"
    actions   = ["sqs:SendMessage"]
    resources = [local.ocr_completion_queue_arn]

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
  # The queue's access policy (its `policy` argument) exists once the queue does.
}

# The access policies used to be separate aws_sqs_queue_policy resources. A stack deployed
# then keeps its policies: Terraform forgets those resources without deleting them (which
# would race with the queue setting the same policy), and the queues now own the policy.
# (The queues' redrive_policy, now left to aws_sqs_queue_redrive_policy, is optional and
# computed on aws_sqs_queue, so dropping it there changes nothing on a deployed queue.)
removed {
  from = aws_sqs_queue_policy.intake

  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_sqs_queue_policy.ocr_completion

  lifecycle {
    destroy = false
  }
}
