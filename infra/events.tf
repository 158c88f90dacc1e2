# The project's EventBridge bus: one event per final status of a job (ADR 0027).
#
#   parse-and-score / read-einvoice (COMPLETED), api-review (APPROVED, REJECTED),
#   mark-failed (FAILED) -> bus (source "docuflow", detail-type "Invoice Approved", ...)
#
# The event's JSON Schema is shared/docuflow/events/invoice-event.v1.schema.json; ERPs and
# other consumers add rules of their own on this bus (docs/integrations.md).

resource "aws_cloudwatch_event_bus" "this" {
  name = "${var.name_prefix}-events"
}
