"""The storage and workflow adapters a piece of logic needs, bundled for injection."""

from __future__ import annotations

from dataclasses import dataclass

from docuflow.dal import clients
from docuflow.dal.audit import AuditRepository
from docuflow.dal.documents import DocumentStore
from docuflow.dal.executions import WorkflowGateway
from docuflow.dal.jobs import JobRepository
from docuflow.dal.stats import StatsRepository
from docuflow.dal.vendors import VendorRepository
from services.common.settings import (
    BucketSettings,
    StatsSettings,
    StorageSettings,
    TableSettings,
    VendorSettings,
)


@dataclass(frozen=True)
class Tables:
    """The jobs and audit tables: all some functions touch."""

    jobs: JobRepository
    audit: AuditRepository


@dataclass(frozen=True)
class Storage(Tables):
    """The tables and the documents bucket."""

    documents: DocumentStore


@dataclass(frozen=True)
class Processing(Storage):
    """Storage plus the state machine: what starting a job needs."""

    workflow: WorkflowGateway


def tables_from(settings: TableSettings) -> Tables:
    """Repositories on the real (lazily created) boto3 clients."""
    dynamodb = clients.dynamodb()
    return Tables(
        jobs=JobRepository(dynamodb.Table(settings.jobs_table)),
        audit=AuditRepository(dynamodb.Table(settings.audit_table)),
    )


def vendors_from(settings: VendorSettings) -> VendorRepository:
    """The vendor memory's table."""
    return VendorRepository(clients.dynamodb().Table(settings.vendors_table))


def stats_from(settings: StatsSettings) -> StatsRepository:
    """The daily roll-up's table."""
    return StatsRepository(clients.dynamodb().Table(settings.stats_table))


def documents_from(settings: BucketSettings) -> DocumentStore:
    """The documents bucket alone, for a function that touches no table."""
    return DocumentStore(clients.s3(), settings.raw_bucket)


def storage_from(settings: StorageSettings) -> Storage:
    tables = tables_from(settings)
    return Storage(jobs=tables.jobs, audit=tables.audit, documents=documents_from(settings))


def processing_from(settings: StorageSettings, state_machine_arn: str) -> Processing:
    storage = storage_from(settings)
    return Processing(
        jobs=storage.jobs,
        audit=storage.audit,
        documents=storage.documents,
        workflow=WorkflowGateway(clients.stepfunctions(), state_machine_arn),
    )
