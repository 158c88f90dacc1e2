"""Webhook endpoints (api-webhooks) and delivery (webhook-delivery), against moto and a
real receiver on 127.0.0.1 (the local cloud's exception, WEBHOOK_ALLOW_LOOPBACK)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from services.api.handlers.review import lambda_handler as review
from services.api.handlers.webhooks import lambda_handler as webhooks_api
from services.webhooks.handlers.delivery import lambda_handler as deliver
from tests.handlers.cloud import (
    ADMIN,
    CLERK,
    OTHER_TENANT,
    REVIEWER,
    Caller,
    Cloud,
    LambdaContext,
    call,
    http_event,
    make_job,
    sqs_event,
)
from tests.handlers.openapi_check import assert_matches_openapi
from tests.support import webhook_receiver


@pytest.fixture(autouse=True)
def loopback_allowed(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_ALLOW_LOOPBACK", "true")
    # Retries at once: the backoff itself is tested in tests/unit/webhooks.
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "0.001")
    monkeypatch.setenv("WEBHOOK_MAX_ATTEMPTS", "4")


def api(
    method: str,
    route: str,
    *,
    caller: Caller = ADMIN,
    body: Any = None,
    path: dict[str, str] | None = None,
) -> dict[str, Any]:
    response = call(
        webhooks_api, http_event(method, route, path_params=path, body=body, caller=caller)
    )
    assert_matches_openapi(route, method.lower(), response)
    return response


def register(url: str, events: list[str] | None = None) -> dict[str, Any]:
    response = api("POST", "/webhooks", body={"url": url, "events": events or ["invoice.approved"]})
    assert response["statusCode"] == 201, response["json"]
    return response["json"]


def approve(cloud: Cloud) -> str:
    """Approve a job in review; returns its id. The event lands on the test bus."""
    job = make_job(cloud)
    event = http_event(
        "POST",
        "/review/jobs/{job_id}/decision",
        path_params={"job_id": job.job_id},
        body={
            "decision": "APPROVE",
            "corrected_fields": {"total_amount": "95.00"},
            # 95.00 no longer adds up with the subtotal and tax: a blocking check
            "override_reason": "Credit agreed with the vendor",
        },
        caller=REVIEWER,
    )
    assert call(review, event)["statusCode"] == 200
    return job.job_id


def run_delivery(cloud: Cloud, rounds: int = 10) -> None:
    """Hand the bus's events, then the webhook queue's messages, to webhook-delivery, as
    the event source mapping would, until the queue is empty."""
    envelopes = [json.dumps(e) for e in cloud.bus_events()]
    if envelopes:
        assert deliver(sqs_event(envelopes, "webhooks"), LambdaContext()) == {
            "batchItemFailures": []
        }
    sqs = cloud.client("sqs")
    for _ in range(rounds):
        messages = sqs.receive_message(
            QueueUrl=cloud.webhook_queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", [])
        if not messages:
            return
        for message in messages:
            sqs.delete_message(
                QueueUrl=cloud.webhook_queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
        deliver(sqs_event([m["Body"] for m in messages], "webhooks"), LambdaContext())


def deliveries(webhook_id: str) -> list[dict[str, Any]]:
    response = api("GET", "/webhooks/{webhook_id}/deliveries", path={"webhook_id": webhook_id})
    assert response["statusCode"] == 200
    return response["json"]["items"]


# -- the API ---------------------------------------------------------------------------


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(cloud: Cloud) -> None:
    created = register("https://erp.example.com/hooks", ["invoice.approved", "invoice.failed"])
    assert created["secret"].startswith("whsec_")
    assert created["webhook_id"].startswith("wh_")
    assert created["events"] == ["invoice.approved", "invoice.failed"]
    listed = api("GET", "/webhooks")["json"]["items"]
    assert [w["webhook_id"] for w in listed] == [created["webhook_id"]]
    assert "secret" not in listed[0]
    assert created["secret"] not in json.dumps(listed)


@pytest.mark.parametrize("caller", [CLERK, REVIEWER])
def test_only_admins_manage_webhooks(cloud: Cloud, caller: Caller) -> None:
    assert api("GET", "/webhooks", caller=caller)["statusCode"] == 403
    response = api(
        "POST",
        "/webhooks",
        caller=caller,
        body={"url": "https://erp.example.com/h", "events": ["invoice.approved"]},
    )
    assert response["statusCode"] == 403


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"url": "http://erp.example.com/h", "events": ["invoice.approved"]}, 422),
        ({"url": "https://169.254.169.254/", "events": ["invoice.approved"]}, 422),
        ({"url": "https://10.0.0.1/", "events": ["invoice.approved"]}, 422),
        ({"url": "https://erp.example.com/h", "events": []}, 400),
        ({"url": "https://erp.example.com/h", "events": ["invoice.paid"]}, 400),
        ({"url": "https://erp.example.com/h"}, 400),
    ],
)
def test_bad_registrations_are_refused_with_the_reason(
    cloud: Cloud, body: dict[str, Any], status: int
) -> None:
    response = api("POST", "/webhooks", body=body)
    assert response["statusCode"] == status
    assert response["json"]["error"]["message"]
    assert api("GET", "/webhooks")["json"]["items"] == []


def test_another_tenants_endpoint_is_a_404(cloud: Cloud) -> None:
    created = register("https://erp.example.com/hooks")
    path = {"webhook_id": created["webhook_id"]}
    for method, route in (
        ("DELETE", "/webhooks/{webhook_id}"),
        ("POST", "/webhooks/{webhook_id}/rotate"),
        ("GET", "/webhooks/{webhook_id}/deliveries"),
    ):
        assert api(method, route, caller=OTHER_TENANT, path=path)["statusCode"] == 404
    assert api("GET", "/webhooks", caller=OTHER_TENANT)["json"]["items"] == []


def test_rotation_gives_a_new_secret_and_delete_removes_the_endpoint(cloud: Cloud) -> None:
    created = register("https://erp.example.com/hooks")
    path = {"webhook_id": created["webhook_id"]}
    rotated = api("POST", "/webhooks/{webhook_id}/rotate", path=path)
    assert rotated["statusCode"] == 200
    assert rotated["json"]["secret"].startswith("whsec_")
    assert rotated["json"]["secret"] != created["secret"]
    assert api("DELETE", "/webhooks/{webhook_id}", path=path)["statusCode"] == 204
    assert api("DELETE", "/webhooks/{webhook_id}", path=path)["statusCode"] == 404
    assert api("GET", "/webhooks")["json"]["items"] == []


@pytest.mark.parametrize("webhook_id", ["nope", "wh_" + "0" * 32])
def test_an_unknown_endpoint_is_a_404(cloud: Cloud, webhook_id: str) -> None:
    response = api("GET", "/webhooks/{webhook_id}/deliveries", path={"webhook_id": webhook_id})
    assert response["statusCode"] == 404
    assert response["json"]["error"]["code"] == "WEBHOOK_NOT_FOUND"


# -- delivery --------------------------------------------------------------------------


def test_an_approval_is_delivered_once_signed_per_standard_webhooks(cloud: Cloud) -> None:
    with webhook_receiver() as receiver:
        created = register(receiver.url)
        # also one for another event type, which must get nothing
        register(receiver.url, ["invoice.rejected"])
        job_id = approve(cloud)
        run_delivery(cloud)
    [received] = receiver.received
    payload = Webhook(created["secret"]).verify(received.body, received.headers)
    assert payload["type"] == "invoice.approved"
    assert payload["data"]["job_id"] == job_id
    assert payload["data"]["invoice"]["fields"]["total_amount"] == "95.00"
    assert received.headers["webhook-id"] == payload["data"]["id"]
    # a wrong secret does not verify
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(received.body, received.headers)
    [logged] = deliveries(created["webhook_id"])
    assert logged["status"] == "delivered" and logged["attempts"] == 1
    assert logged["last_status_code"] == 200


def test_the_same_event_twice_is_delivered_once(cloud: Cloud) -> None:
    with webhook_receiver() as receiver:
        created = register(receiver.url)
        approve(cloud)
        envelopes = [json.dumps(e) for e in cloud.bus_events()]
        # the bus (at least once) hands the same event over twice
        deliver(sqs_event(envelopes + envelopes, "webhooks"), LambdaContext())
        run_delivery(cloud)
    assert len(receiver.received) == 1
    assert len(deliveries(created["webhook_id"])) == 1


def test_a_receiver_that_fails_three_times_gets_it_on_the_fourth_attempt(cloud: Cloud) -> None:
    with webhook_receiver(answers=[500, 503, 502]) as receiver:
        created = register(receiver.url)
        approve(cloud)
        run_delivery(cloud)
    assert len(receiver.received) == 4
    # every attempt carries the same id and a valid signature
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    Webhook(created["secret"]).verify(receiver.received[-1].body, receiver.received[-1].headers)
    [logged] = deliveries(created["webhook_id"])
    assert logged["status"] == "delivered" and logged["attempts"] == 4
    assert logged["last_error"] is None


def test_a_receiver_that_never_answers_ok_is_given_up_to_the_dead_letter_queue(
    cloud: Cloud,
) -> None:
    with webhook_receiver(answers=[500] * 10) as receiver:
        created = register(receiver.url)
        approve(cloud)
        run_delivery(cloud)
        assert len(receiver.received) == 4  # WEBHOOK_MAX_ATTEMPTS
        [logged] = deliveries(created["webhook_id"])
        assert logged["status"] == "failed" and logged["attempts"] == 4
        assert logged["last_status_code"] == 500 and "500" in logged["last_error"]
        [notice] = cloud.client("sqs").receive_message(QueueUrl=cloud.webhook_dlq_url)["Messages"]
        assert json.loads(notice["Body"])["webhook_id"] == created["webhook_id"]
        # When an admin sends it again (the receiver is fixed), it is delivered
        receiver.answers.clear()
        path = {"webhook_id": created["webhook_id"], "event_id": logged["event_id"]}
        again = api("POST", "/webhooks/{webhook_id}/deliveries/{event_id}/retry", path=path)
        assert again["statusCode"] == 202 and again["json"]["status"] == "pending"
        run_delivery(cloud)
    assert len(receiver.received) == 5
    [logged] = deliveries(created["webhook_id"])
    assert logged["status"] == "delivered" and logged["attempts"] == 5


def test_send_again_of_an_unknown_delivery_is_a_404(cloud: Cloud) -> None:
    created = register("https://erp.example.com/hooks")
    path = {"webhook_id": created["webhook_id"], "event_id": "job-1.approved.v3"}
    response = api("POST", "/webhooks/{webhook_id}/deliveries/{event_id}/retry", path=path)
    assert response["statusCode"] == 404
    assert response["json"]["error"]["code"] == "DELIVERY_NOT_FOUND"


def test_after_rotation_both_secrets_verify_for_a_day(cloud: Cloud) -> None:
    with webhook_receiver() as receiver:
        created = register(receiver.url)
        rotated = api(
            "POST", "/webhooks/{webhook_id}/rotate", path={"webhook_id": created["webhook_id"]}
        )["json"]
        approve(cloud)
        run_delivery(cloud)
    [received] = receiver.received
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    for secret in (created["secret"], rotated["secret"]):
        Webhook(secret).verify(received.body, received.headers)


def test_an_endpoint_that_became_private_is_not_sent_to(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Registered while loopback was allowed, delivered where it is not (as on AWS)
    with webhook_receiver() as receiver:
        created = register(receiver.url)
        monkeypatch.setenv("WEBHOOK_ALLOW_LOOPBACK", "false")
        from services.webhooks import config

        config.get_delivery_settings.cache_clear()
        approve(cloud)
        run_delivery(cloud)
    assert receiver.received == []
    [logged] = deliveries(created["webhook_id"])
    assert logged["status"] == "failed" and "https" in logged["last_error"]
