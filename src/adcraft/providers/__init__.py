"""Adapters to outside services, one file per vendor; each imports its SDK inside functions."""
