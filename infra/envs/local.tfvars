# The Docker-free local cloud (`docuflow up`) and the compose emulator on 4566.
# Applied with: terraform -chdir=infra apply -var-file=envs/local.tfvars

region         = "us-east-1"
name_prefix    = "docuflow"
local_endpoint = "http://127.0.0.1:4566"

# Never pulled locally: the emulator runs each function's image command in a worker
# process (moto accepts image functions with MOTO_LAMBDA_STUB_ECR=TRUE).
image_uri = "000000000000.dkr.ecr.us-east-1.amazonaws.com/docuflow:local"

# The web app's dev/preview server (vite preview on 4173).
web_origins = ["http://127.0.0.1:4173", "http://localhost:4173"]

ocr_mode              = "expense"
confidence_threshold  = 80
confidence_thresholds = {}

# The stand-in holds no quota unless told (DOCUFLOW_TEXTRACT_START_TPS); the pipeline paces
# its starts at this rate (`make bench-e2e --ocr-tps` sets both through TF_VAR_).
textract_start_tps = 20

# StartOcr waits in the ocr-start queue for its turn at the start quota as long as on AWS:
# a burst of N documents needs N / textract_start_tps seconds there (1,000 at 0.5 a second
# took longer than the 600 s this was, and half of them failed as "took too long").
ocr_start_timeout_seconds = 3600
# A short callback wait, so the polling fallback finishes within a test.
ocr_wait_timeout_seconds = 20
poll_interval_seconds    = 1
max_polls                = 10

# Throttling is waited out in seconds, not minutes, so the e2e suite's sustained
# throttling test finishes quickly: waits of at most 2 s (jittered), 60 of them.
textract_retry_interval_seconds  = 1
textract_retry_max_delay_seconds = 2
textract_retry_max_attempts      = 60

log_retention_days        = 7
log_level                 = "INFO"
state_machine_log_level   = "ALL"
powertools_trace_disabled = true

# A throwaway stack: tables can be deleted, no e-mail alarms, no ECR (no images pushed).
deletion_protection         = false
enable_alarms               = true
alarm_email                 = ""
create_ecr                  = false
enable_reserved_concurrency = true

# Webhooks: e2e receivers listen on 127.0.0.1 (the one place loopback is allowed), and
# retries wait seconds, not minutes.
webhook_allow_loopback     = true
webhook_retry_base_seconds = 1

# The event sweep (ADR 0034) every minute, EventBridge's shortest rate, and for markers
# older than 5 s, so the e2e suite sees an owed event put within about a minute.
schedules                 = { "event-sweep" = "rate(1 minute)" }
event_sweep_grace_seconds = 5
