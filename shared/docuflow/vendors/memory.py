"""Remembering an invoice for its vendor, and checking a new invoice against that history.

Pure functions on `VendorProfile`: the DAL stores the profile, the services decide when
an invoice is remembered (ADR 0025).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from docuflow.extraction.result import Check, ExtractionResult, ReviewReason, Routing
from docuflow.vendors.identity import normalized_name
from docuflow.vendors.model import AccountSeen, InvoiceFacts, TotalRange, VendorProfile

OUT_OF_RANGE_FACTOR = Decimal(3)
"""The documented rule for an unusual total: with at least `MIN_HISTORY` invoices of the
vendor in the currency, a total above 3x the largest or below a third of the smallest."""
MIN_HISTORY = 3


def _added(items: list[str], value: str | None) -> list[str]:
    return items if not value or value in items else [*items, value]


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _accounts(profile: VendorProfile | None, facts: InvoiceFacts, at: str) -> list[AccountSeen]:
    accounts = list(profile.accounts) if profile else []
    if facts.iban is None:
        return accounts
    for index, seen in enumerate(accounts):
        if seen.iban == facts.iban:
            accounts[index] = seen.model_copy(
                update={
                    "last_seen": max(seen.last_seen, at),
                    "job_ids": _added(list(seen.job_ids), facts.job_id),
                }
            )
            return accounts
    return [
        *accounts,
        AccountSeen(iban=facts.iban, first_seen=at, last_seen=at, job_ids=[facts.job_id]),
    ]


def _totals(profile: VendorProfile | None, facts: InvoiceFacts) -> dict[str, TotalRange]:
    totals = dict(profile.totals) if profile else {}
    total = _amount(facts.total)
    if facts.currency is None or total is None:
        return totals
    known = totals.get(facts.currency)
    if known is None:
        totals[facts.currency] = TotalRange(minimum=str(total), maximum=str(total), count=1)
    else:
        totals[facts.currency] = TotalRange(
            minimum=str(min(Decimal(known.minimum), total)),
            maximum=str(max(Decimal(known.maximum), total)),
            count=known.count + 1,
        )
    return totals


def remember(
    profile: VendorProfile | None, facts: InvoiceFacts, *, tenant_id: str, at: str
) -> VendorProfile:
    """The profile after one more invoice (a new profile when `profile` is None).

    Not idempotent by itself: the DAL writes it together with the invoice's link item,
    conditional on that item being new, so a retried step never counts an invoice twice.
    """
    currencies = dict(profile.currencies) if profile else {}
    if facts.currency:
        currencies[facts.currency] = currencies.get(facts.currency, 0) + 1
    name = facts.vendor_name or (profile.name if profile else facts.vendor_id)
    return VendorProfile(
        tenant_id=tenant_id,
        vendor_id=profile.vendor_id if profile else facts.vendor_id,
        name=name,
        names=_added(list(profile.names) if profile else [], facts.vendor_name),
        tax_id=(profile.tax_id if profile else None) or facts.tax_id,
        addresses=_added(list(profile.addresses) if profile else [], facts.address),
        accounts=_accounts(profile, facts, at),
        currencies=currencies,
        totals=_totals(profile, facts),
        invoice_numbers=_added(
            list(profile.invoice_numbers) if profile else [], facts.invoice_number
        ),
        invoice_count=(profile.invoice_count if profile else 0) + 1,
        first_seen=profile.first_seen if profile else at,
        last_seen=at,
        version=profile.version if profile else 0,
    )


def aliases(profile: VendorProfile) -> list[str]:
    """The normalized names the vendor is found by when an invoice has no tax id."""
    return sorted({normalized_name(name) for name in profile.names} - {""})


def _accounts_in_words(accounts: list[AccountSeen]) -> str:
    return ", ".join(f"{seen.iban} (last on an invoice {seen.last_seen[:10]})" for seen in accounts)


def history_reasons(
    facts: InvoiceFacts, profile: VendorProfile | None, *, iban_owner: VendorProfile | None
) -> list[ReviewReason]:
    """What is unusual about this invoice given its vendor's history, as review reasons.

    `iban_owner` is the tenant's vendor the invoice's IBAN is known for, if any.
    A known vendor's never-seen account is always a reason, whatever the confidence:
    changed bank details are how invoice fraud pays itself.
    """
    reasons: list[ReviewReason] = []
    if iban_owner is not None and facts.iban and iban_owner.vendor_id != facts.vendor_id:
        reasons.append(
            ReviewReason(
                code="IBAN_OF_OTHER_VENDOR",
                field="bank_account",
                message=f"The bank account {facts.iban} is known for another vendor, "
                f"{iban_owner.name}, not for {facts.vendor_name or 'this vendor'}.",
            )
        )
    if profile is None:
        return reasons
    if facts.iban and profile.accounts and profile.account(facts.iban) is None:
        reasons.append(
            ReviewReason(
                code="BANK_DETAILS_CHANGED",
                field="bank_account",
                message=f"Bank details changed: {profile.name} was paid to "
                f"{_accounts_in_words(profile.accounts)}; this invoice asks for payment to "
                f"{facts.iban}, an account never seen for this vendor. Confirm the change "
                "with the vendor by a channel you already know before approving.",
                evidence={
                    "vendor_id": profile.vendor_id,
                    "known_accounts": [seen.iban for seen in profile.accounts],
                    "new_account": facts.iban,
                },
            )
        )
    if facts.currency and profile.currencies and facts.currency not in profile.currencies:
        reasons.append(
            ReviewReason(
                code="CURRENCY_UNUSUAL",
                field="currency",
                message=f"{profile.name} has invoiced in {', '.join(sorted(profile.currencies))} "
                f"so far, never in {facts.currency}.",
            )
        )
    reasons.extend(_total_reasons(facts, profile))
    if facts.invoice_number and facts.invoice_number in profile.invoice_numbers:
        reasons.append(
            ReviewReason(
                code="INVOICE_NUMBER_SEEN",
                field="invoice_number",
                message=f"{profile.name} already sent an invoice numbered "
                f"{facts.invoice_number}: this may be a duplicate.",
            )
        )
    return reasons


def _total_reasons(facts: InvoiceFacts, profile: VendorProfile) -> list[ReviewReason]:
    total = _amount(facts.total)
    known = profile.totals.get(facts.currency) if facts.currency else None
    if total is None or known is None or known.count < MIN_HISTORY or total <= 0:
        return []
    low, high = Decimal(known.minimum), Decimal(known.maximum)
    too_high = high > 0 and total > high * OUT_OF_RANGE_FACTOR
    too_low = low > 0 and total < low / OUT_OF_RANGE_FACTOR
    if too_high or too_low:
        return [
            ReviewReason(
                code="TOTAL_UNUSUAL",
                field="total_amount",
                message=f"The total {facts.total} {facts.currency} is far outside "
                f"{profile.name}'s usual range ({known.minimum} to {known.maximum} "
                f"{facts.currency} over {known.count} invoices).",
            )
        ]
    return []


def with_history(
    result: ExtractionResult, profile: VendorProfile | None, reasons: list[ReviewReason]
) -> ExtractionResult:
    """`result` with the `vendor_history` check, and its reasons added to the routing:
    any of them sends the job to review."""
    if reasons:
        check = Check(
            status="fail",
            message=" ".join(reason.message for reason in reasons),
            fields=sorted({reason.field for reason in reasons if reason.field}),
        )
    elif profile is None:
        check = Check(status="skipped", message="The vendor has no invoice on record yet.")
    else:
        check = Check(
            status="pass",
            message=f"Nothing unusual for {profile.name}, known from "
            f"{profile.invoice_count} earlier invoice(s).",
        )
    if any(reason.code == "DUPLICATE_INVOICE" for reason in result.routing.reasons):
        # The duplicate index already names the earlier job: saying it twice adds nothing.
        reasons = [reason for reason in reasons if reason.code != "INVOICE_NUMBER_SEEN"]
    all_reasons = [*result.routing.reasons, *reasons]
    return result.model_copy(
        update={
            "checks": {**result.checks, "vendor_history": check},
            "routing": Routing(
                status="NEEDS_REVIEW" if all_reasons else "COMPLETED", reasons=all_reasons
            ),
        }
    )
