"""Product feeds: streamed parsers, one product record, a validation report per row."""
