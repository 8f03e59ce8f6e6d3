"""Applications: the parts of healthkit that decide what to produce and write files."""
