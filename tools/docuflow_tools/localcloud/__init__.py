"""The Docker-free local cloud: moto behind a WSGI layer that runs the project's Lambda
functions in worker processes, drives SQS event source mappings, serves the HTTP API from
API Gateway v2 routes and stands in for Textract (DESIGN §5)."""
