"""The dataset: reading its file safely (reading.py), checking every field of
it (checking.py, a generic toolkit), building the model from it (building.py),
and loading it through its store (loading.py); `validate` (validating.py).
The only package that touches the dataset file; what a lookup needs is named
here. The builder and the checker are imported only when a file is parsed
(not on a stored run): import `parse_dataset` from
`adjuvant_cli.dataset.building`; and `validate_dataset` and its reports from
`adjuvant_cli.dataset.validating`, which no lookup imports."""

from adjuvant_cli.dataset.loading import load_dataset
from adjuvant_cli.dataset.reading import (
    BUNDLED_LABEL,
    MAX_FILE_BYTES,
    SCHEMA_VERSION,
    bundled_path,
    read_dataset_text,
)

__all__ = [
    "BUNDLED_LABEL",
    "MAX_FILE_BYTES",
    "SCHEMA_VERSION",
    "bundled_path",
    "load_dataset",
    "read_dataset_text",
]
