"""In-process handler tests against moto."""
