"""Storage adapters: the only code that touches DynamoDB, S3, SQS and Step Functions.

Every repository takes its boto3 client (or resource) in the constructor, so tests
pass moto-backed or fake clients; `docuflow.dal.clients` creates the real ones lazily.
"""
