"""Getting a run's results out: signed webhooks, exports, platform bulk-upload sheets."""
