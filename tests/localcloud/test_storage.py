"""S3 behaviour the pipeline relies on: presigned PUT under a TLS-only bucket policy and
ObjectCreated notifications delivered to SQS."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

import requests

from tests.localcloud.helpers import unique
from tests.support import wait_for


def test_presigned_put_works_on_a_tls_only_bucket_and_notifies_the_queue(cloud: Any) -> None:
    # Given a bucket with the stack's TLS-only policy and a raw/ notification to a queue
    s3, sqs = cloud.client("s3"), cloud.client("sqs")
    bucket = unique("raw")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            }
        ),
    )
    queue_url = sqs.create_queue(QueueName=unique("intake"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": queue_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "raw/"}]}},
                }
            ]
        },
    )
    url = s3.generate_presigned_url(
        "put_object",
        Params={"Bucket": bucket, "Key": "raw/o/j/doc.pdf", "ContentType": "application/pdf"},
        ExpiresIn=300,
    )
    # When a client PUTs to the presigned URL
    put = requests.put(
        url, data=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}, timeout=30
    )
    # Then the upload is accepted and an ObjectCreated event for it reaches the queue
    assert put.status_code == 200, put.text

    def created_event() -> dict[str, Any] | None:
        for message in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get(
            "Messages", []
        ):
            for record in json.loads(message["Body"]).get("Records", []):
                if unquote_plus(record["s3"]["object"]["key"]) == "raw/o/j/doc.pdf":
                    return dict(record)
        return None

    record = wait_for(created_event)
    assert record["eventName"].startswith("ObjectCreated")
    # A plain, unsigned request is still refused
    assert requests.get(f"{cloud.endpoint}/{bucket}/raw/o/j/doc.pdf", timeout=30).status_code == 403
