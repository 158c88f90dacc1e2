"""S3 ObjectCreated events (through the intake queue) to started executions."""
