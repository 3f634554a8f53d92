"""report-archive: publish archives of Chinese trade-union reports."""

__version__ = "0.1.0"
