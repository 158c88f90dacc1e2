"""Where things live on disk: the repository and the shared fixtures beside it.

The Textract fixtures under `../shared/` stay there; code reads them through the
`DOCUFLOW_SHARED_DIR` setting, which defaults to the `shared/` folder beside the checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """The project's shared material (DESIGN.md, fixtures/textract/...)."""
    configured = os.environ.get("DOCUFLOW_SHARED_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared"


def textract_fixtures_dir() -> Path:
    return shared_dir() / "fixtures" / "textract"


def generated_dir() -> Path:
    """Scratch space for material the project generates (git-ignored)."""
    configured = os.environ.get("DOCUFLOW_GENERATED_DIR")
    path = Path(configured) if configured else REPO_ROOT / ".generated"
    path.mkdir(parents=True, exist_ok=True)
    return path
