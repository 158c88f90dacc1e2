"""The vendors table: one partition per tenant holding its vendors' profiles and what
finds them.

Items, by sort key:
- `vendor#<vendor_id>`: the profile (`VendorProfile`, with a `version` for optimistic
  locking);
- `invoice#<vendor_id>#<job_id>`: one invoice remembered for the vendor (`InvoiceSeen`);
  written only if new, in the same transaction as the profile, so remembering the same
  job twice (a retried step) changes nothing;
- `alias#<normalized name>` and `iban#<IBAN>`: which vendor a name or an account
  belongs to, for invoices without a tax id and for an account used by another vendor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from docuflow.dal import clients
from docuflow.dal.items import from_dynamo, to_dynamo, to_typed
from docuflow.dal.models import Page
from docuflow.domain.errors import ConcurrentUpdate, ValidationFailed, VendorNotFound
from docuflow.vendors import InvoiceSeen, VendorProfile, aliases, normalized_name

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

_TRANSACTION_CANCELED = "TransactionCanceledException"
_ITEM_CONDITION_FAILED = "ConditionalCheckFailed"
# A profile written by two invoices at once: the loser reads it again and retries.
_MAX_ATTEMPTS = 5
_PAGE_KEYS = frozenset({"tenant_id", "sk"})


def _profile_sk(vendor_id: str) -> str:
    return f"vendor#{vendor_id}"


def _invoice_sk(vendor_id: str, job_id: str) -> str:
    return f"invoice#{vendor_id}#{job_id}"


def _condition_failed(exc: ClientError, index: int) -> bool:
    reasons = exc.response.get("CancellationReasons") or []
    return index < len(reasons) and reasons[index].get("Code") == _ITEM_CONDITION_FAILED


class VendorRepository(clients.TableWithTransactions):
    """Reads and conditional writes of the vendors table, always within one tenant."""

    def _get(self, tenant_id: str, sk: str) -> dict[str, Any] | None:
        response = self._table.get_item(Key={"tenant_id": tenant_id, "sk": sk}, ConsistentRead=True)
        item = response.get("Item")
        return None if item is None else dict(from_dynamo(item))

    def find(self, tenant_id: str, vendor_id: str) -> VendorProfile | None:
        item = self._get(tenant_id, _profile_sk(vendor_id))
        return None if item is None else VendorProfile.model_validate(item["profile"])

    def get(self, tenant_id: str, vendor_id: str) -> VendorProfile:
        """The vendor, or VendorNotFound (also for another tenant's vendor)."""
        profile = self.find(tenant_id, vendor_id)
        if profile is None:
            raise VendorNotFound(vendor_id)
        return profile

    def resolve(
        self, tenant_id: str, vendor_id: str, *, name: str | None, tax_id: str | None
    ) -> VendorProfile | None:
        """The known vendor an invoice is from: by its id (tax id, else name), else by
        an alias of its name — unless both carry a tax id and they differ (two companies
        of one name are two vendors)."""
        profile = self.find(tenant_id, vendor_id)
        if profile is not None or not name or not normalized_name(name):
            return profile
        alias = self._get(tenant_id, f"alias#{normalized_name(name)}")
        named = None if alias is None else self.find(tenant_id, str(alias["vendor_id"]))
        if named is not None and tax_id and named.tax_id:
            return None
        return named

    def owner_of_account(self, tenant_id: str, iban: str) -> VendorProfile | None:
        """The vendor whose invoices were last paid to `iban`, if any."""
        item = self._get(tenant_id, f"iban#{iban}")
        return None if item is None else self.find(tenant_id, str(item["vendor_id"]))

    def remember(
        self,
        tenant_id: str,
        seen: InvoiceSeen,
        update: Callable[[VendorProfile | None], VendorProfile],
    ) -> VendorProfile | None:
        """Add one invoice to its vendor: `update(current profile)` is the new profile.

        Written in one transaction with the invoice's link item, conditional on the link
        being new (else nothing is written and None is returned: already remembered) and
        on the profile's version (else the profile is read again and `update` re-run).
        """
        for _ in range(_MAX_ATTEMPTS):
            current = self.find(tenant_id, seen.vendor_id)
            profile = update(current)
            try:
                self._low_level().transact_write_items(
                    TransactItems=self._remember_items(tenant_id, seen, current, profile)
                )
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code != _TRANSACTION_CANCELED:
                    raise
                if _condition_failed(exc, 0):
                    return None
                if _condition_failed(exc, 1):
                    continue
                raise
            return profile.model_copy(update={"version": profile.version + 1})
        raise ConcurrentUpdate(f"Vendor {seen.vendor_id} kept changing; try again.")

    def _put(self, item: dict[str, Any], condition: str | None = None, values: Any = None) -> Any:
        put: dict[str, Any] = {"TableName": self._table.name, "Item": to_typed(to_dynamo(item))}
        if condition:
            put["ConditionExpression"] = condition
        if values:
            put["ExpressionAttributeValues"] = to_typed(values)
        return {"Put": put}

    def _remember_items(
        self,
        tenant_id: str,
        seen: InvoiceSeen,
        current: VendorProfile | None,
        profile: VendorProfile,
    ) -> list[TransactWriteItemTypeDef]:
        profile_item = {
            "tenant_id": tenant_id,
            "sk": _profile_sk(profile.vendor_id),
            "vendor_id": profile.vendor_id,
            "version": profile.version + 1,
            "profile": profile.model_copy(update={"version": profile.version + 1}).model_dump(
                mode="json", exclude_none=True
            ),
        }
        items: list[Any] = [
            self._put(
                {
                    "tenant_id": tenant_id,
                    "sk": _invoice_sk(seen.vendor_id, seen.job_id),
                    "invoice": seen.model_dump(mode="json", exclude_none=True),
                },
                "attribute_not_exists(sk)",
            ),
            self._put(profile_item, "attribute_not_exists(sk)")
            if current is None
            else self._put(profile_item, "version = :version", {":version": current.version}),
        ]
        known_aliases = set(aliases(current)) if current else set()
        items.extend(
            self._put(
                {"tenant_id": tenant_id, "sk": f"alias#{alias}", "vendor_id": profile.vendor_id}
            )
            for alias in aliases(profile)
            if alias not in known_aliases
        )
        known_accounts = {seen.iban for seen in current.accounts} if current else set()
        items.extend(
            self._put(
                {
                    "tenant_id": tenant_id,
                    "sk": f"iban#{account.iban}",
                    "vendor_id": profile.vendor_id,
                }
            )
            for account in profile.accounts
            if account.iban not in known_accounts
        )
        return items

    def list_vendors(
        self, tenant_id: str, *, limit: int, start_key: dict[str, str] | None
    ) -> Page[VendorProfile]:
        """One page of the tenant's vendors, by vendor id."""
        items, last = self._query(tenant_id, "vendor#", limit, start_key)
        return Page[VendorProfile](
            items=[VendorProfile.model_validate(item["profile"]) for item in items], last_key=last
        )

    def list_invoices(
        self, tenant_id: str, vendor_id: str, *, limit: int, start_key: dict[str, str] | None
    ) -> Page[InvoiceSeen]:
        """One page of the invoices remembered for a vendor."""
        items, last = self._query(tenant_id, f"invoice#{vendor_id}#", limit, start_key)
        return Page[InvoiceSeen](
            items=[InvoiceSeen.model_validate(item["invoice"]) for item in items], last_key=last
        )

    def _query(
        self, tenant_id: str, prefix: str, limit: int, start_key: dict[str, str] | None
    ) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": Key("tenant_id").eq(tenant_id)
            & Key("sk").begins_with(prefix),
            "Limit": limit,
        }
        if start_key:
            # A cursor of another tenant or another listing is refused, never followed.
            if (
                set(start_key) != _PAGE_KEYS
                or start_key["tenant_id"] != tenant_id
                or not start_key["sk"].startswith(prefix)
            ):
                raise ValidationFailed("The cursor is not valid for this query.")
            kwargs["ExclusiveStartKey"] = start_key
        response = self._table.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        return (
            [dict(from_dynamo(item)) for item in response.get("Items", [])],
            None if not last else {name: str(last[name]) for name in sorted(_PAGE_KEYS)},
        )
