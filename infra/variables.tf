# ---------------------------------------------------------------------------------------
# Where and what
# ---------------------------------------------------------------------------------------

variable "region" {
  description = "AWS region of the whole stack. Textract must be offered there (it is not in every region)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like an AWS region code, e.g. us-east-1."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions, tables, queues, bucket). Lower-case letters, digits and hyphens."
  type        = string
  default     = "docuflow"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,23}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-25 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged into the provider's default tags)."
  type        = map(string)
  default     = {}
}

variable "local_endpoint" {
  description = "Endpoint of a local cloud (the project's emulator or LocalStack), e.g. http://127.0.0.1:4566. Empty string for real AWS."
  type        = string
  default     = ""

  validation {
    condition     = var.local_endpoint == "" || can(regex("^https?://[^/\\s]+$", var.local_endpoint))
    error_message = "local_endpoint must be empty (AWS) or a scheme://host[:port] URL without a path, e.g. http://127.0.0.1:4566."
  }
}

# ---------------------------------------------------------------------------------------
# Code
# ---------------------------------------------------------------------------------------

variable "image_uri" {
  description = "The one Lambda container image every function runs (each with its own handler command). Pin a digest (repo@sha256:...) or an immutable tag; never :latest."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})$", var.image_uri))
    error_message = "image_uri must be an ECR image reference with a tag or digest: <account>.dkr.ecr.<region>.amazonaws.com/<repo>(:<tag>|@sha256:<digest>)."
  }

  validation {
    condition     = !endswith(var.image_uri, ":latest")
    error_message = "image_uri must not use the mutable :latest tag; deploy a digest (make deploy does)."
  }
}

variable "lambda_architecture" {
  description = "CPU architecture the image was built for."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "lambda_architecture must be x86_64 or arm64."
  }
}

variable "enable_reserved_concurrency" {
  description = "Apply the reserved concurrency from services/functions.json (start-ocr's protects the Textract start-call quota). Turn off in accounts whose unreserved concurrency limit is too small to reserve from."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------------------
# Product settings (become function environment variables)
# ---------------------------------------------------------------------------------------

variable "web_origins" {
  description = "Origins of the web app allowed by the HTTP API's CORS and the bucket's CORS (presigned PUT from the browser)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.web_origins : can(regex("^https?://[^/\\s]+$", o))])
    error_message = "Each web origin must be scheme://host[:port] with no path or trailing slash."
  }
}

variable "ocr_mode" {
  description = "Which Textract API runs on a document: expense (AnalyzeExpense), document (AnalyzeDocument FORMS+TABLES) or both."
  type        = string
  default     = "expense"

  validation {
    condition     = contains(["expense", "document", "both"], var.ocr_mode)
    error_message = "ocr_mode must be one of: expense, document, both."
  }
}

variable "ocr_price_expense_page" {
  description = "USD per page of AnalyzeExpense, for the dashboard's cost estimate (list price in docs/cost.md)."
  type        = number
  default     = 0.01

  validation {
    condition     = var.ocr_price_expense_page >= 0 && var.ocr_price_expense_page <= 10
    error_message = "ocr_price_expense_page must be between 0 and 10 (USD per page)."
  }
}

variable "ocr_price_document_page" {
  description = "USD per page of AnalyzeDocument with FORMS and TABLES, for the dashboard's cost estimate (list price in docs/cost.md)."
  type        = number
  default     = 0.065

  validation {
    condition     = var.ocr_price_document_page >= 0 && var.ocr_price_document_page <= 10
    error_message = "ocr_price_document_page must be between 0 and 10 (USD per page)."
  }
}

variable "confidence_threshold" {
  description = "Default minimum field confidence (0-100) below which a job goes to review."
  type        = number
  default     = 80

  validation {
    condition     = var.confidence_threshold >= 0 && var.confidence_threshold <= 100
    error_message = "confidence_threshold must be between 0 and 100."
  }
}

variable "confidence_thresholds" {
  description = "Per-field overrides of confidence_threshold, e.g. { total_amount = 90 }."
  type        = map(number)
  default     = {}

  validation {
    condition     = alltrue([for v in values(var.confidence_thresholds) : v >= 0 && v <= 100])
    error_message = "Every per-field confidence threshold must be between 0 and 100."
  }
}

variable "max_upload_bytes" {
  description = "Largest accepted document in bytes (Textract's asynchronous limit is 500 MB for PDFs, 10 MB for images)."
  type        = number
  default     = 20971520

  validation {
    condition     = var.max_upload_bytes >= 1024 && var.max_upload_bytes <= 524288000
    error_message = "max_upload_bytes must be between 1 KiB and 500 MiB."
  }
}

variable "max_pages" {
  description = "Largest accepted page count of a document."
  type        = number
  default     = 50

  validation {
    condition     = var.max_pages >= 1 && var.max_pages <= 3000
    error_message = "max_pages must be between 1 and 3000 (Textract's asynchronous limit)."
  }
}

variable "upload_url_ttl_seconds" {
  description = "Lifetime of the presigned upload URL."
  type        = number
  default     = 900

  validation {
    condition     = var.upload_url_ttl_seconds >= 60 && var.upload_url_ttl_seconds <= 3600
    error_message = "upload_url_ttl_seconds must be between 60 and 3600."
  }
}

variable "download_url_ttl_seconds" {
  description = "Lifetime of the presigned document link a reviewer gets."
  type        = number
  default     = 300

  validation {
    condition     = var.download_url_ttl_seconds >= 30 && var.download_url_ttl_seconds <= 3600
    error_message = "download_url_ttl_seconds must be between 30 and 3600."
  }
}

# ---------------------------------------------------------------------------------------
# Workflow timing
# ---------------------------------------------------------------------------------------

variable "ocr_start_timeout_seconds" {
  description = "How long StartOcr waits in the ocr-start queue for its turn at Textract's start quota before the job fails."
  type        = number
  default     = 3600

  validation {
    condition     = var.ocr_start_timeout_seconds >= 60 && var.ocr_start_timeout_seconds <= 86400
    error_message = "ocr_start_timeout_seconds must be between 60 and 86400."
  }
}

variable "ocr_wait_timeout_seconds" {
  description = "How long the start-ocr task waits for Textract's completion notification before falling back to polling."
  type        = number
  default     = 900

  validation {
    condition     = var.ocr_wait_timeout_seconds >= 1 && var.ocr_wait_timeout_seconds <= 86400
    error_message = "ocr_wait_timeout_seconds must be between 1 and 86400."
  }
}

variable "poll_interval_seconds" {
  description = "Wait between two polls of Textract in the fallback path."
  type        = number
  default     = 30

  validation {
    condition     = var.poll_interval_seconds >= 1 && var.poll_interval_seconds <= 3600
    error_message = "poll_interval_seconds must be between 1 and 3600."
  }
}

variable "max_polls" {
  description = "Polls of Textract before the job fails as timed out."
  type        = number
  default     = 20

  validation {
    condition     = var.max_polls >= 1 && var.max_polls <= 1000 && floor(var.max_polls) == var.max_polls
    error_message = "max_polls must be a whole number between 1 and 1000."
  }
}

# Textract's start calls a second for this account and region (Service Quotas, e.g.
# "StartExpenseAnalysis throughput"): start-ocr paces its calls to it (ADR 0032).
variable "textract_start_tps" {
  description = "The account's Textract start-call quota (calls a second) the pipeline paces itself to."
  type        = number
  default     = 5

  validation {
    condition     = var.textract_start_tps > 0 && var.textract_start_tps <= 1000
    error_message = "textract_start_tps must be above 0 and at most 1000."
  }
}

# Textract's quotas (start calls per second, concurrent jobs) are per account, shared by
# every job: a throttled call waits its turn. Waits double from the interval up to the
# cap, each drawn at random below it (full jitter, so a burst spreads out); with the
# defaults the attempts add up to about 75 minutes of waiting at most, 38 on average.
variable "textract_retry_interval_seconds" {
  description = "First wait after Textract throttles a call; each further wait doubles, up to textract_retry_max_delay_seconds."
  type        = number
  default     = 5

  validation {
    condition     = var.textract_retry_interval_seconds >= 1 && floor(var.textract_retry_interval_seconds) == var.textract_retry_interval_seconds
    error_message = "textract_retry_interval_seconds must be a whole number of at least 1."
  }
}

variable "textract_retry_max_delay_seconds" {
  description = "Longest single wait after Textract throttles a call (before jitter)."
  type        = number
  default     = 300

  validation {
    condition     = var.textract_retry_max_delay_seconds >= 1 && var.textract_retry_max_delay_seconds <= 3600 && floor(var.textract_retry_max_delay_seconds) == var.textract_retry_max_delay_seconds
    error_message = "textract_retry_max_delay_seconds must be a whole number between 1 and 3600."
  }
}

variable "textract_retry_max_attempts" {
  description = "Retries of a throttled Textract call before the job fails (TextractThrottled)."
  type        = number
  default     = 20

  validation {
    condition     = var.textract_retry_max_attempts >= 1 && var.textract_retry_max_attempts <= 1000 && floor(var.textract_retry_max_attempts) == var.textract_retry_max_attempts
    error_message = "textract_retry_max_attempts must be a whole number between 1 and 1000."
  }
}

variable "max_receive_count" {
  description = "Deliveries of an intake or OCR-completion message before it moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

# ---------------------------------------------------------------------------------------
# Observability
# ---------------------------------------------------------------------------------------

variable "log_retention_days" {
  description = "Retention of every log group (functions, API access log, state machine). Invoices are financial records: keep at least a year on AWS."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}

variable "state_machine_log_level" {
  description = "Execution logging level of the state machine: ERROR (failures only) or ALL (every state; more log volume)."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["ERROR", "ALL"], var.state_machine_log_level)
    error_message = "state_machine_log_level must be ERROR or ALL."
  }
}

variable "state_machine_log_execution_data" {
  description = "Include execution input and output in the state machine's log (job ids and S3 keys; no document content)."
  type        = bool
  default     = true
}

variable "enable_tracing" {
  description = "X-Ray active tracing on every function and the state machine."
  type        = bool
  default     = true
}

variable "powertools_trace_disabled" {
  description = "POWERTOOLS_TRACE_DISABLED for every function (true on a local cloud, which has no X-Ray daemon)."
  type        = bool
  default     = false
}

variable "metrics_namespace" {
  description = "POWERTOOLS_METRICS_NAMESPACE: the CloudWatch namespace of the product's own metrics."
  type        = string
  default     = "DocuFlow"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace))
    error_message = "metrics_namespace must be 1-255 characters of letters, digits and . _ / # : -."
  }
}

variable "enable_alarms" {
  description = "Create the CloudWatch alarms (failed executions, dead-letter depth, function errors)."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic (an SNS topic is created only when this is set). Empty for no notifications."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an e-mail address."
  }
}

# ---------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------

variable "create_ecr" {
  description = "Create the ECR repository the images are pushed to (make deploy pushes, then applies with the digest)."
  type        = bool
  default     = false
}

variable "ecr_keep_images" {
  description = "Tagged images the ECR lifecycle policy keeps (older ones expire)."
  type        = number
  default     = 20

  validation {
    condition     = var.ecr_keep_images >= 1 && var.ecr_keep_images <= 1000
    error_message = "ecr_keep_images must be between 1 and 1000."
  }
}

variable "raw_noncurrent_version_days" {
  description = "Days a replaced or deleted document version is kept before the bucket lifecycle removes it."
  type        = number
  default     = 90

  validation {
    condition     = var.raw_noncurrent_version_days >= 1
    error_message = "raw_noncurrent_version_days must be at least 1."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before the stack's KMS key is deleted after a destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "deletion_protection" {
  description = "Protect the jobs and audit tables and the user pool from deletion (turn off only for throwaway stacks such as the local cloud)."
  type        = bool
  default     = true
}

# ---------------------------------------------------------------------------
# Identity (identity.tf)
# ---------------------------------------------------------------------------

variable "user_pool_mfa" {
  description = "MFA of the user pool: OFF, OPTIONAL (each user may add an authenticator app) or ON (required; users set it up at first sign-in)."
  type        = string
  default     = "OPTIONAL"

  validation {
    condition     = contains(["OFF", "OPTIONAL", "ON"], var.user_pool_mfa)
    error_message = "user_pool_mfa must be OFF, OPTIONAL or ON."
  }
}

variable "user_pool_domain_prefix" {
  description = "Prefix of the Cognito hosted UI domain (<prefix>.auth.<region>.amazoncognito.com); empty for none (the web app signs in with SRP)."
  type        = string
  default     = ""
}

variable "webhook_allow_loopback" {
  description = "Let webhooks point at 127.0.0.1 / localhost over http: the local cloud only (its e2e receivers). Never on AWS."
  type        = bool
  default     = false
}

variable "webhook_retry_base_seconds" {
  description = "Wait before the first webhook retry; each next one waits four times longer (jittered), at most 8 hours."
  type        = number
  default     = 10

  validation {
    condition     = var.webhook_retry_base_seconds > 0 && var.webhook_retry_base_seconds <= 3600
    error_message = "webhook_retry_base_seconds must be in (0, 3600]."
  }
}

variable "webhook_max_attempts" {
  description = "Attempts of one webhook delivery before it is given up (10 with the 10 s base: about a day)."
  type        = number
  default     = 10

  validation {
    condition     = var.webhook_max_attempts >= 1 && var.webhook_max_attempts <= 20
    error_message = "webhook_max_attempts must be between 1 and 20."
  }
}

variable "webhook_timeout_seconds" {
  description = "How long one webhook attempt waits for the receiver's answer."
  type        = number
  default     = 10

  validation {
    condition     = var.webhook_timeout_seconds > 0 && var.webhook_timeout_seconds <= 30
    error_message = "webhook_timeout_seconds must be in (0, 30]."
  }
}

variable "schedules" {
  description = "Per scheduled function (trigger \"schedule\" in services/functions.json), a rate() or cron() expression to use instead of the manifest's \"schedule\"."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for expression in values(var.schedules) : can(regex("^(rate|cron)\\(.+\\)$", expression))])
    error_message = "Each schedule must be an EventBridge rate(...) or cron(...) expression."
  }
}

variable "event_sweep_grace_seconds" {
  description = "How old an owed event's marker must be before the event sweep puts the event itself; younger ones are left to the writer that is putting them (ADR 0034)."
  type        = number
  default     = 120

  validation {
    condition     = var.event_sweep_grace_seconds >= 0 && var.event_sweep_grace_seconds <= 3600
    error_message = "event_sweep_grace_seconds must be between 0 and 3600."
  }
}

variable "export_url_ttl_seconds" {
  description = "How long the presigned link of an export written to the bucket (GET /exports?delivery=link) is valid."
  type        = number
  default     = 900

  validation {
    condition     = var.export_url_ttl_seconds >= 60 && var.export_url_ttl_seconds <= 3600
    error_message = "export_url_ttl_seconds must be between 60 and 3600."
  }
}
