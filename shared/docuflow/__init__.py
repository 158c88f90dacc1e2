"""DocuFlow OCR: the shared core of the invoice pipeline.

`docuflow.domain` holds the job model and its status rules, `docuflow.extraction`
turns Textract output into normalized invoice fields, `docuflow.dal` is the only
code that touches DynamoDB and S3, and `docuflow.localcloud` is the Docker-free
local cloud used for development, tests and demos.
"""
