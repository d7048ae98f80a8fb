"""adjuvant: an offline reference for the adjuvant drugs used in back pain."""

__version__ = "0.2.0"

# What `--version` says of the bundled dataset, without reading it (a test,
# tests/test_arguments.py, keeps these equal to its [source]).
BUNDLED_TITLE = "Use of adjuvants in the treatment of back pain"
BUNDLED_REVIEWED = "2025-07-08"
