"""DocuFlow's tooling: everything that never runs in Lambda.

The `docuflow` command (`cli`), the Docker-free local cloud (`localcloud`), the offline
OCR engine behind its Textract stand-in (`offline_ocr`), the synthetic invoice generator
(`samples`), the accuracy harness (`evaluation`) and the benchmarks (`bench`). It builds
on the runtime core, `docuflow`, never the other way round.
"""
