"""Settings of the intake function, read when the handler first runs."""

from __future__ import annotations

from functools import cache

from services.common.settings import NonEmpty, StorageSettings


class IntakeSettings(StorageSettings):
    state_machine_arn: NonEmpty


@cache
def get_settings() -> IntakeSettings:
    return IntakeSettings()
