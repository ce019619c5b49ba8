"""Per-tenant settings kept with the tenant: provider overrides and their sealed secrets."""
