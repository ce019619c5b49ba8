"""Jobs: the TaskRunner port, an in-process worker pool and Celery workers on Redis."""
