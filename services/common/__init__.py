"""Code shared by the services: wiring, the start of processing, service-level errors."""
