"""One lock for pdfium in the whole process.

pdfium is not thread-safe: pypdfium2 says to call it from one thread at a time, across
all documents. `docuflow eval` reads documents side by side in threads, and two renders at
once ended the interpreter with SIGSEGV (a CI run of `make eval --scans`). Every use of
pypdfium2 in the tooling holds `PDFIUM_LOCK`; Tesseract, the slow part, runs outside it.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
