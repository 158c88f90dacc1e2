"""Lambda entry points: parse the event, call one function, shape the response."""
