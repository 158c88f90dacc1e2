"""The HTTP API: uploads, jobs, the review queue and decisions."""
