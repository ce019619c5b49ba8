"""Whether a store key is still named anywhere, before its file is deleted.

Store keys are content addresses: two tasks, two versions or an upload that come to the same
bytes share one file. A file may go only when no row names it any more: no version's image or
render (a generated picture or scene it was drawn with), no uploaded asset, no completed task's
result, no other unfinished task that is writing it too and no style preview still shown.
"""

from __future__ import annotations

from sqlalchemy import String, cast, exists, select
from sqlalchemy.orm import Session

from adcraft.db.models import Asset, PreviewFile, Task, TaskOutput, Version


def key_in_use(s: Session, tenant_id: str, key: str, *, besides_task: str | None = None) -> bool:
    """Whether any row still names ``key``; ``besides_task``'s own journal is not counted."""
    # Results and renders hold keys inside JSON: look for the content hash, which no other key
    # of the tenant can contain by chance.
    sha = key.rsplit("/", 1)[-1].split(".", 1)[0]
    writing = select(Task.id).where(Task.status.in_(("pending", "running")))
    if besides_task is not None:
        writing = writing.where(Task.id != besides_task)
    named = (
        exists().where(Version.image_key == key),
        exists().where(Asset.key == key),
        exists().where(TaskOutput.key == key, TaskOutput.task_id.in_(writing)),
        exists().where(
            Task.tenant_id == tenant_id,
            Task.status == "completed",
            cast(Task.result, String).contains(sha),
        ),
        exists().where(Version.tenant_id == tenant_id, cast(Version.render, String).contains(sha)),
        # A style preview not yet expired (the preview expiry drops its own row first).
        exists().where(PreviewFile.key == key),
    )
    return any(s.scalar(select(query)) for query in named)
