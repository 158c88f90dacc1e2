"""The thresholds routing uses for one tenant: the deployment's defaults with the
tenant's own per-field thresholds on top (ADR 0033). The pipeline (parse-and-score,
read-einvoice) and the review API (re-score, decide) all ask this one place."""

from __future__ import annotations

from dataclasses import dataclass

from docuflow.dal.settings import TenantSettingsItem, TenantSettingsRepository
from docuflow.extraction import ScoringSettings
from docuflow.extraction.result import FIELD_NAMES

THRESHOLD_FIELDS: tuple[str, ...] = (*FIELD_NAMES, "line_items")
"""What a per-field threshold may name: the result format's fields, and `line_items`
(the lowest line item's confidence)."""


def scoring_for(defaults: ScoringSettings, tenant: TenantSettingsItem) -> ScoringSettings:
    """`defaults` with the tenant's per-field thresholds overriding the same fields."""
    return defaults.model_copy(
        update={"field_thresholds": {**defaults.field_thresholds, **tenant.confidence_thresholds}}
    )


@dataclass(frozen=True)
class TenantScoring:
    """The deployment's default thresholds and the table of each tenant's own."""

    defaults: ScoringSettings
    tenants: TenantSettingsRepository

    def of(self, settings: TenantSettingsItem) -> ScoringSettings:
        """The thresholds of a tenant whose settings were read already."""
        return scoring_for(self.defaults, settings)

    def for_tenant(self, tenant: str) -> ScoringSettings:
        return self.of(self.tenants.get(tenant))
