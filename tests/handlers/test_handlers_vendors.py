"""Vendor memory through the handlers: an e-invoice completed automatically or approved
teaches its vendor; a known vendor's new bank account goes to review whatever the
confidence; the vendor routes list what was learned, for the caller's tenant only."""

from __future__ import annotations

from typing import Any

from services.api.handlers.review import lambda_handler as review
from services.api.handlers.vendors import lambda_handler as vendors_api
from services.workflow.handlers import read_einvoice
from tests.einvoice_samples import SELLER, invoice_data, make_xml
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
)
from tests.handlers.openapi_check import assert_matches_openapi

OLD_IBAN = "DE89370400440532013000"
NEW_IBAN = "GB82WEST12345698765432"


def read(cloud: Cloud, *, tenant: str, iban: str, number: str) -> tuple[Any, dict[str, Any]]:
    """An e-invoice of the sample vendor (read exactly: every value at 100%) through the
    e-invoice step, uploaded in `tenant`, asking for payment to `iban`."""
    job = make_job(cloud, status="PROCESSING", fixture=None, tenant_id=tenant)
    cloud.put_object(job.s3_key, make_xml("cii", invoice_data(BT_84=iban, BT_1=number)))
    state = {"job_id": job.job_id, "bucket": "-", "key": job.s3_key, "attempt": 1}
    return job, read_einvoice.lambda_handler(state, LambdaContext())


def get(
    route: str,
    *,
    query: dict[str, str] | None = None,
    vendor_id: str | None = None,
    caller: Caller | None = REVIEWER,
) -> dict[str, Any]:
    """`route` as `caller` (a reviewer of acme by default)."""
    params = {"vendor_id": vendor_id} if vendor_id else None
    event = http_event("GET", route, path_params=params, query=query, caller=caller)
    response = call(vendors_api, event)
    assert_matches_openapi(route, "get", response)
    return response


def approve(job_id: str, version: int) -> dict[str, Any]:
    body = {"decision": "APPROVE", "expected_version": version}
    route = "/review/jobs/{job_id}/decision"
    return call(review, http_event("POST", route, path_params={"job_id": job_id}, body=body))


def test_a_new_account_goes_to_review_and_its_approval_makes_it_known(cloud: Cloud) -> None:
    # Given a first invoice of a vendor, completed automatically
    _, first = read(cloud, tenant="acme", iban=OLD_IBAN, number="RE-1")
    assert first["status"] == "COMPLETED", first
    # When the same vendor's next invoice asks for payment to another account
    second_job, second = read(cloud, tenant="acme", iban=NEW_IBAN, number="RE-2")
    # Then it goes to review for that alone, naming the old and the new account
    assert second["status"] == "NEEDS_REVIEW" and second["reasons"] == ["BANK_DETAILS_CHANGED"]
    reason = cloud.job(second_job.job_id)["routing_reasons"][0]
    assert reason["field"] == "bank_account"
    assert OLD_IBAN in reason["message"] and NEW_IBAN in reason["message"]
    result = cloud.get_json(f"results/{second_job.job_id}.json")
    assert result["checks"]["vendor_history"]["status"] == "fail"
    assert all(field["confidence"] == 100 for field in result["fields"].values())
    # When a reviewer approves it
    stored = cloud.job(second_job.job_id)
    assert approve(second_job.job_id, int(stored["version"]))["statusCode"] == 200
    # Then a third invoice to the new account passes
    _, third = read(cloud, tenant="acme", iban=NEW_IBAN, number="RE-3")
    assert third["status"] == "COMPLETED", third
    # And the vendor page shows both accounts and the three invoices
    listing = get("/vendors")
    assert listing["statusCode"] == 200
    [vendor] = listing["json"]["items"]
    assert [a["iban"] for a in vendor["accounts"]] == [OLD_IBAN, NEW_IBAN]
    assert vendor["invoice_count"] == 3 and vendor["currencies"] == {"EUR": 3}
    detail = get("/vendors/{vendor_id}", vendor_id=vendor["vendor_id"])
    assert detail["statusCode"] == 200
    assert sorted(i["status"] for i in detail["json"]["invoices"]) == [
        "APPROVED",
        "COMPLETED",
        "COMPLETED",
    ]


def test_reading_the_same_invoice_twice_remembers_it_once(cloud: Cloud) -> None:
    job, _ = read(cloud, tenant="acme", iban=OLD_IBAN, number="RE-1")
    state = {"job_id": job.job_id, "bucket": "-", "key": job.s3_key, "attempt": 1}
    read_einvoice.lambda_handler(state, LambdaContext())
    [vendor] = get("/vendors")["json"]["items"]
    assert vendor["invoice_count"] == 1


def test_an_account_of_another_vendor_and_another_tenants_vendors(cloud: Cloud) -> None:
    # Given a vendor of tenant acme paid to OLD_IBAN
    read(cloud, tenant="acme", iban=OLD_IBAN, number="RE-1")
    # When another vendor of acme asks for payment to the same account
    job = make_job(cloud, status="PROCESSING", fixture=None, tenant_id="acme")
    seller = {**SELLER, "name": "Andere Firma GmbH", "vat_identifier": "DE999999999"}
    other = invoice_data(BT_84=OLD_IBAN, BT_1="X-1", BG_4=seller)
    cloud.put_object(job.s3_key, make_xml("cii", other))
    state = {"job_id": job.job_id, "bucket": "-", "key": job.s3_key, "attempt": 1}
    outcome = read_einvoice.lambda_handler(state, LambdaContext())
    # Then it goes to review, and the vendors of acme are no one else's
    assert outcome["reasons"] == ["IBAN_OF_OTHER_VENDOR"]
    [vendor] = get("/vendors")["json"]["items"]
    assert get("/vendors", caller=OTHER_TENANT)["json"]["items"] == []
    missing = get("/vendors/{vendor_id}", vendor_id=vendor["vendor_id"], caller=OTHER_TENANT)
    assert missing["statusCode"] == 404
    assert missing["json"]["error"]["code"] == "VENDOR_NOT_FOUND"


def test_vendor_routes_refuse_bad_input_with_4xx(cloud: Cloud) -> None:
    assert get("/vendors", query={"cursor": "%%"})["statusCode"] == 400
    bad = get("/vendors/{vendor_id}", vendor_id="nobody")
    assert bad["statusCode"] == 404


def test_vendor_routes_need_a_reviewers_token(cloud: Cloud) -> None:
    read(cloud, tenant="acme", iban=OLD_IBAN, number="RE-1")
    # An admin reads them as a reviewer does; a clerk is refused, and no token is a 401
    [vendor] = get("/vendors", caller=ADMIN)["json"]["items"]
    for route, params in (("/vendors", None), ("/vendors/{vendor_id}", vendor["vendor_id"])):
        refused = get(route, vendor_id=params, caller=CLERK)
        assert refused["statusCode"] == 403 and refused["json"]["error"]["code"] == "FORBIDDEN"
        assert vendor["vendor_id"] not in str(refused["json"])
        assert get(route, vendor_id=params, caller=None)["statusCode"] == 401
    # A tenant sent in the query is not a parameter of the route any more: it changes nothing
    assert get("/vendors", query={"owner_id": "globex"})["json"]["items"] == [vendor]


def test_a_vendor_is_found_by_its_name_unless_the_tax_ids_differ(cloud: Cloud) -> None:
    from docuflow.dal.vendors import VendorRepository
    from docuflow.vendors import InvoiceFacts, InvoiceSeen, remember

    repository = VendorRepository(cloud.table(cloud.vendors_table))
    # Given a vendor known by its tax id, from an invoice printed "Acme GmbH"
    facts = InvoiceFacts.of("j1", {"vendor_name": "Acme GmbH", "vendor_tax_id": "DE111"})
    assert facts is not None
    seen = InvoiceSeen(vendor_id=facts.vendor_id, job_id="j1", status="APPROVED", recorded_at="t")
    stored = repository.remember(
        "acme", seen, lambda current: remember(current, facts, tenant_id="acme", at="t")
    )
    assert stored is not None and stored.version == 1
    # Then remembering the same job again changes nothing
    assert (
        repository.remember("acme", seen, lambda c: remember(c, facts, tenant_id="acme", at="t"))
        is None
    )
    # And an invoice without a tax id, printed "ACME gmbh.", is from that vendor
    found = repository.resolve("acme", "name-acme", name="ACME gmbh.", tax_id=None)
    assert found is not None and found.vendor_id == "tax-DE111"
    # But one with another tax id is another vendor, and another tenant has none
    assert repository.resolve("acme", "tax-DE222", name="Acme GmbH", tax_id="DE222") is None
    assert repository.resolve("globex", "tax-DE111", name="Acme GmbH", tax_id="DE111") is None


def parse_generated(
    cloud: Cloud, tenant: str, seed: int, **overrides: Any
) -> tuple[Any, dict[str, Any]]:
    """A generated invoice's AnalyzeExpense response through parse-and-score, in `tenant`."""
    import json

    from docuflow_tools.samples import UNAMBIGUOUS, expense_recording, make_invoice
    from services.workflow.handlers import parse_and_score

    invoice = make_invoice(seed, **{**UNAMBIGUOUS, **overrides})
    job = make_job(
        cloud, status="PROCESSING", fixture=None, tenant_id=tenant, file_sha256=f"{seed:064d}"
    )
    key = f"ocr/{job.job_id}/1/expense/0001.json"
    cloud.put_object(key, json.dumps(expense_recording(invoice)).encode(), "application/json")
    state = {
        "job_id": job.job_id,
        "bucket": "-",
        "key": job.s3_key,
        "attempt": 1,
        "stored": {"keys": [key], "pages": 1},
    }
    return job, parse_and_score.lambda_handler(state, LambdaContext())


def test_a_corrected_vendor_name_is_used_for_the_vendors_next_invoice(
    cloud: Cloud, monkeypatch: Any
) -> None:
    vendor = {
        "vendor_name": "Brightwater Supplies Ltd",
        "vendor_tax_id": "GB123456789",
        "with_remittance": True,
        "iban": OLD_IBAN,
    }
    # Given a first invoice of a vendor sent to review (a strict threshold, for the test)
    monkeypatch.setenv("CONFIDENCE_THRESHOLD", "99.9")
    first, outcome = parse_generated(cloud, "acme", 21, invoice_number="BW-1", **vendor)
    assert outcome["status"] == "NEEDS_REVIEW"
    # When a reviewer approves it with the vendor's name as the ledger knows it
    body = {
        "decision": "APPROVE",
        "corrected_fields": {"vendor_name": "Brightwater Supplies Limited"},
    }
    route = "/review/jobs/{job_id}/decision"
    decided = call(
        review, http_event("POST", route, path_params={"job_id": first.job_id}, body=body)
    )
    assert decided["statusCode"] == 200, decided["json"]
    # Then the vendor's next invoice, printed the same way, reads with that name, as a hint
    second, _ = parse_generated(cloud, "acme", 22, invoice_number="BW-2", **vendor)
    name = cloud.get_json(f"results/{second.job_id}.json")["fields"]["vendor_name"]
    assert (name["value"], name["source"], name["text"]) == (
        "Brightwater Supplies Limited",
        "vendor_hint",
        "Brightwater Supplies Ltd",
    )
    assert name["alternatives"][0]["value"] == "Brightwater Supplies Ltd"
    listing = get("/vendors")["json"]["items"]
    assert listing[0]["hints"]["vendor_name"] == "Brightwater Supplies Limited"
    assert listing[0]["hints"]["learned_from"] == [first.job_id]
    # But another tenant's invoice of a vendor of that name learns nothing from it
    other, _ = parse_generated(cloud, "globex", 23, invoice_number="BW-3", **vendor)
    assert (
        cloud.get_json(f"results/{other.job_id}.json")["fields"]["vendor_name"]["source"]
        != "vendor_hint"
    )
