"""LocalStack ready hook: fail loudly when this LocalStack cannot run DocuFlow.

LocalStack runs the files in /etc/localstack/init/ready.d once it is ready; compose
waits for them (its healthcheck reads /_localstack/init/ready). DocuFlow needs ECR-style
container image functions, API Gateway v2, Cognito user pools and Step Functions, which
the token-free community image (4.14 and older) lacks. This hook turns "the deploy
failed half-way with an odd 501" into one clear line in `docker compose logs localstack`.
"""

from __future__ import annotations

import json
import sys
import urllib.request

REQUIRED = (
    "apigateway",
    "cognito-idp",
    "dynamodb",
    "ecr",
    "iam",
    "lambda",
    "logs",
    "s3",
    "sns",
    "sqs",
    "stepfunctions",
    "sts",
)
USABLE = {"available", "running"}


def main() -> int:
    with urllib.request.urlopen("http://127.0.0.1:4566/_localstack/health", timeout=10) as reply:
        health = json.load(reply)
    services = health.get("services", {})
    missing = [name for name in REQUIRED if services.get(name) not in USABLE]
    edition = health.get("edition", "unknown")
    version = health.get("version", "unknown")
    if missing:
        print(
            f"docuflow: LocalStack {version} ({edition}) lacks {', '.join(missing)}; "
            "DocuFlow needs LocalStack 4.15+ with LOCALSTACK_AUTH_TOKEN (docs/containers.md)",
            file=sys.stderr,
        )
        return 1
    print(f"docuflow: LocalStack {version} ({edition}) offers every service DocuFlow uses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
