"""Fixtures for the core tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    """Each test keeps its uploads in its own encrypted storage: key-rotation tests retire keys,
    and must neither touch nor be stopped by files other tests left in the shared var dir."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "amparo.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {
                "location": str(tmp_path / "private-media"),
                "base_url": "/no-public-media/",
            },
        },
    }
