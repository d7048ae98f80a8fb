"""adjuvant: an offline reference for the adjuvant drugs used in back pain."""

__version__ = "0.2.0"
