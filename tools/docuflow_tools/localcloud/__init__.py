"""The Docker-free local cloud (`docuflow up`, DESIGN §5): moto behind a WSGI layer that runs
the project's Lambda functions in worker processes, drives SQS event source mappings,
serves the HTTP API from API Gateway v2 routes and stands in for Textract.

- cli.py: `docuflow up`; terraform.py: `infra/` applied to the emulator; web.py: the web
  app; seed.py: `docuflow seed`.
- server.py: `LocalCloud`, the emulator on a port (start, stop); dispatcher.py: its WSGI app,
  which routes each request; control_routes.py: `/_docuflow/...`; wsgi.py: request and
  response helpers; moto_patches.py: moto's settings and workarounds, for one moto version.
- lambdas.py, worker.py: Lambda functions in worker processes; eventsources.py: SQS event
  source mappings; httpapi.py: API Gateway v2 events and answers.
- textract_standin.py: the Textract stand-in; textract_recordings.py (+ .json): what it
  replays.
- up_process.py, ports.py: `docuflow up` as a child process (e2e runner and suite, the
  pipeline benchmark).
"""
