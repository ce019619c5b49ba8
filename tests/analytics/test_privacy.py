"""Viewer pseudonyms: stable within a salt period, new in the next, never the raw IP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adcraft.analytics.privacy import rotation_period, user_hash, viewer_hash

SECRET = "s" * 48
IP, UA = "203.0.113.42", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
DAYS = 30


def _period_start(at: datetime) -> datetime:
    return datetime.fromtimestamp(rotation_period(at, DAYS) * DAYS * 86400, UTC)


def test_viewer_hash_is_stable_within_a_period_and_changes_in_the_next() -> None:
    start = _period_start(datetime(2026, 5, 17, 12, tzinfo=UTC))
    first = viewer_hash(SECRET, IP, UA, start, DAYS)
    # Anywhere in the same period: the same pseudonym (one viewer counts once).
    assert (
        viewer_hash(SECRET, IP, UA, start + timedelta(days=DAYS) - timedelta(seconds=1), DAYS)
        == first
    )
    assert viewer_hash(SECRET, IP, UA, start + timedelta(days=11, hours=5), DAYS) == first
    # The next period uses a new salt: the same viewer cannot be linked across periods.
    following = viewer_hash(SECRET, IP, UA, start + timedelta(days=DAYS), DAYS)
    assert following != first
    assert viewer_hash(SECRET, IP, UA, start + timedelta(days=2 * DAYS), DAYS) not in {
        first,
        following,
    }
    # Another viewer, user agent or secret: another pseudonym.
    assert viewer_hash(SECRET, "203.0.113.43", UA, start, DAYS) != first
    assert viewer_hash(SECRET, IP, UA + " x", start, DAYS) != first
    assert viewer_hash("t" * 48, IP, UA, start, DAYS) != first


def test_pseudonyms_carry_no_raw_ip_or_user_id() -> None:
    at = datetime(2026, 5, 17, 12, tzinfo=UTC)
    for value in (
        viewer_hash(SECRET, IP, UA, at, DAYS),
        viewer_hash(SECRET, "::1", "", at, 1),
        user_hash(SECRET, "tenant-a", "key-123"),
    ):
        assert len(value) == 32 and set(value) <= set("0123456789abcdef")
        for raw in (IP, IP.replace(".", ""), "::1", "key-123", "tenant-a"):
            assert raw not in value
    # A user id is pseudonymised per tenant: two tenants cannot join on it.
    assert user_hash(SECRET, "tenant-a", "key-123") != user_hash(SECRET, "tenant-b", "key-123")
