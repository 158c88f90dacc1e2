"""DocuFlow OCR: the runtime core of the invoice pipeline, exactly what the Lambda image runs.

`docuflow.domain` holds the job model and its status rules, `docuflow.extraction`
turns Textract output into normalized invoice fields, and `docuflow.dal` is the only
code that touches DynamoDB and S3. The tooling that never runs in Lambda (the
`docuflow` command, the local cloud, the offline OCR engine) is `docuflow_tools`.
"""
