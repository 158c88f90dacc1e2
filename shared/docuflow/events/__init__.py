"""The events DocuFlow announces when a job reaches a final status (ADR 0027).

`model.py` is the contract (one pydantic model, its JSON Schema committed beside it as
`invoice-event.v1.schema.json` and drift-checked by the tests); `build.py` turns a job and
its result into the event. Neither touches AWS: `docuflow.dal.events` puts the event on
the bus, `services.common.events` decides when.
"""

from docuflow.events.build import build_event, event_id
from docuflow.events.model import (
    DETAIL_TYPES,
    EVENT_SOURCE,
    EVENT_TYPES,
    SCHEMA_PATH,
    SCHEMA_VERSION,
    InvoiceEvent,
    event_schema,
)

__all__ = [
    "DETAIL_TYPES",
    "EVENT_SOURCE",
    "EVENT_TYPES",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "InvoiceEvent",
    "build_event",
    "event_id",
    "event_schema",
]
