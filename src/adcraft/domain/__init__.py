"""Plain, frozen value objects that move through the pipeline. No I/O here."""
