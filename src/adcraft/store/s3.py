"""Any S3-compatible store (AWS S3, MinIO) through boto3; boto3 is imported on first use."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from adcraft.errors import AssetMissing, ProviderUnavailable, StoreUnavailable
from adcraft.store.base import check_key, content_key, tenant_prefix
from adcraft.store.disposition import content_disposition


class S3Store:
    """Objects in ``bucket`` under ``prefix``; downloads via presigned GET URLs."""

    name = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str = "",
        region: str = "us-east-1",
        access_key_id: str = "",
        secret_access_key: str = "",
        create_bucket: bool = True,
    ) -> None:
        try:
            import boto3  # type: ignore[import-untyped]
            from botocore.config import Config  # type: ignore[import-untyped]
        except ImportError as exc:
            msg = "the S3 store needs boto3: pip install 'adcraft[s3]'"
            raise ProviderUnavailable(msg) from exc
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        creds: dict[str, Any] = {}
        if access_key_id:
            creds = {"aws_access_key_id": access_key_id, "aws_secret_access_key": secret_access_key}
        self._client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region,
            config=Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            ),
            **creds,
        )
        self._create_bucket = create_bucket
        self._ready = False

    @classmethod
    def from_url(cls, url: str, **options: Any) -> S3Store:
        """``s3://bucket/prefix`` plus endpoint/credential options."""
        parts = urlsplit(url)
        if not parts.netloc:
            raise ProviderUnavailable(f"store URL {url!r} has no bucket: use s3://bucket/prefix")
        return cls(parts.netloc, parts.path, **options)

    def _obj(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _ensure_bucket(self) -> None:
        if self._ready:
            return
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

        try:
            self._client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code not in ("404", "NoSuchBucket") or not self._create_bucket:
                raise StoreUnavailable(f"S3 bucket {self.bucket!r} is not usable: {code}") from exc
            self._client.create_bucket(Bucket=self.bucket)
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 endpoint unreachable: {exc}") from exc
        self._ready = True

    def put(self, tenant_id: str, data: bytes, ext: str, content_type: str) -> str:
        """Upload under the content key (a repeated upload rewrites identical bytes)."""
        from botocore.exceptions import BotoCoreError, ClientError

        key = content_key(tenant_id, data, ext)
        self._ensure_bucket()
        try:
            self._client.put_object(
                Bucket=self.bucket, Key=self._obj(key), Body=data, ContentType=content_type
            )
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(f"S3 upload failed: {exc}") from exc
        return key

    def get(self, key: str) -> bytes:
        """Download an object."""
        from botocore.exceptions import BotoCoreError, ClientError

        self._ensure_bucket()
        try:
            body = self._client.get_object(Bucket=self.bucket, Key=self._obj(key))["Body"]
            return bytes(body.read())
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in ("NoSuchKey", "404"):
                raise AssetMissing("the file for this asset is missing from the store") from exc
            raise StoreUnavailable(f"S3 download failed: {exc}") from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(f"S3 download failed: {exc}") from exc

    def exists(self, key: str) -> bool:
        """HEAD the object."""
        from botocore.exceptions import ClientError

        self._ensure_bucket()
        try:
            self._client.head_object(Bucket=self.bucket, Key=self._obj(key))
            return True
        except ClientError:
            return False

    def delete(self, key: str) -> None:
        """Delete the object (S3 does not mind when it is absent)."""
        self._client.delete_object(Bucket=self.bucket, Key=self._obj(key))

    def delete_tenant(self, tenant_id: str) -> int:
        """List the tenant's prefix and delete its objects in batches of 1000."""
        from botocore.exceptions import BotoCoreError, ClientError

        prefix = tenant_prefix(tenant_id)
        prefix = f"{self.prefix}/{prefix}" if self.prefix else prefix
        self._ensure_bucket()
        removed = 0
        try:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            for page in pages:
                objects = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if objects:
                    self._client.delete_objects(
                        Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
                    )
                    removed += len(objects)
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(f"S3 delete failed: {exc}") from exc
        return removed

    def presigned_url(self, key: str, *, ttl_s: int, filename: str, content_type: str) -> str:
        """A presigned GET that expires after ttl_s seconds."""
        return str(
            self._client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self._obj(key),
                    "ResponseContentDisposition": content_disposition(filename),
                    "ResponseContentType": content_type,
                },
                ExpiresIn=ttl_s,
            )
        )

    def ping(self) -> bool:
        """HEAD the bucket."""
        try:
            self._ready = False
            self._ensure_bucket()
            return True
        except StoreUnavailable:
            return False
