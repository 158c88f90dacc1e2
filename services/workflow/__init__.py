"""The steps of the invoice pipeline state machine."""
