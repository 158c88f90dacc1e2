"""The tables the handler tests create in moto are the tables infra/tables.tf declares."""

from __future__ import annotations

import re

import pytest

from docuflow_tools.paths import REPO_ROOT
from tests.handlers.cloud import AUDIT_TABLE_DEFINITION, JOBS_TABLE_DEFINITION

TABLES_TF = REPO_ROOT / "infra" / "tables.tf"


def _resource(name: str) -> str:
    text = TABLES_TF.read_text()
    start = text.index(f'resource "aws_dynamodb_table" "{name}"')
    following = text.find('resource "', start + 1)
    return text[start : following if following > 0 else len(text)]


def _gsis(block: str) -> dict[str, tuple[str, str | None]]:
    found = {}
    for body in re.findall(r"global_secondary_index\s*{(.*?)}", block, re.S):
        values = dict(re.findall(r'(\w+)\s*=\s*"([^"]*)"', body))
        found[values["name"]] = (values["hash_key"], values.get("range_key"))
    return found


def _keys(block: str) -> tuple[str, str | None]:
    hash_key = re.search(r'^\s*hash_key\s*=\s*"(\w+)"', block, re.M)
    range_key = re.search(r'^\s*range_key\s*=\s*"(\w+)"', block, re.M)
    assert hash_key is not None
    return hash_key.group(1), range_key.group(1) if range_key else None


@pytest.fixture(scope="module", autouse=True)
def _needs_terraform() -> None:
    if not TABLES_TF.is_file():
        pytest.fail(f"{TABLES_TF} is missing: the table definitions cannot be compared")


def _key_schema(schema: list[dict[str, str]]) -> tuple[str, str | None]:
    by_type = {k["KeyType"]: k["AttributeName"] for k in schema}
    return by_type["HASH"], by_type.get("RANGE")


def test_jobs_table_keys_and_indexes_match_terraform() -> None:
    block = _resource("jobs")
    assert _key_schema(JOBS_TABLE_DEFINITION["KeySchema"]) == _keys(block.split("global_")[0])
    ours = {
        g["IndexName"]: _key_schema(g["KeySchema"])
        for g in JOBS_TABLE_DEFINITION["GlobalSecondaryIndexes"]
    }
    assert ours == _gsis(block)
    assert all(
        g["Projection"]["ProjectionType"] == "ALL"
        for g in JOBS_TABLE_DEFINITION["GlobalSecondaryIndexes"]
    )
    assert block.count('projection_type = "ALL"') == len(ours)


def test_audit_table_keys_match_terraform() -> None:
    assert _key_schema(AUDIT_TABLE_DEFINITION["KeySchema"]) == _keys(_resource("audit"))
