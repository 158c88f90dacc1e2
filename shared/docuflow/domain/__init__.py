"""The job model, its status rules and the domain errors."""
