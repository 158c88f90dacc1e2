"""Lazily built, cached, overridable dependencies: created once per container, replaced in tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Provider(Generic[T]):
    """Builds a value on first use and keeps it; `override` swaps in a fake."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._value: T | None = None

    def __call__(self) -> T:
        if self._value is None:
            self._value = self._factory()
        return self._value

    def override(self, value: T) -> None:
        self._value = value

    def reset(self) -> None:
        self._value = None
