"""The dataset: reading its file safely (reading.py), checking every field of
it (checking.py, a generic toolkit), building the model from it (building.py),
and loading it through the cache (loading.py). The only package that touches
the dataset file; everything a caller needs is named here."""

from adjuvant_cli.dataset.building import SCHEMA_VERSION, parse_dataset
from adjuvant_cli.dataset.checking import MAX_LIST_ITEMS, MAX_STRING_CHARS
from adjuvant_cli.dataset.loading import ValidationReport, load_dataset, validate_dataset
from adjuvant_cli.dataset.reading import BUNDLED_LABEL, MAX_FILE_BYTES, bundled_path, read_dataset_text

__all__ = [
    "BUNDLED_LABEL",
    "MAX_FILE_BYTES",
    "MAX_LIST_ITEMS",
    "MAX_STRING_CHARS",
    "SCHEMA_VERSION",
    "ValidationReport",
    "bundled_path",
    "load_dataset",
    "parse_dataset",
    "read_dataset_text",
    "validate_dataset",
]
