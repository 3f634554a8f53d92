"""Full-text search: exact phrase matching over character n-grams, in chunked files."""
