"""Read the cluster's database directly, to check what the servers committed."""

from __future__ import annotations

from sqlalchemy import create_engine, text


def registration_statuses(database_url: str, workshop_id: int) -> dict[str, list[int]]:
    """{status: [user ids]} of a workshop's registrations, straight from PostgreSQL."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT status, user_id FROM workshop_registrations WHERE workshop_id = :id"), {"id": workshop_id}
            ).all()
    finally:
        engine.dispose()
    found: dict[str, list[int]] = {}
    for status, user_id in rows:
        found.setdefault(str(status).lower(), []).append(user_id)
    return found


def user_ids(database_url: str, nips: list[str]) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT nip, id FROM users WHERE nip = ANY(:nips)"), {"nips": nips}).all()
    finally:
        engine.dispose()
    return {str(nip): int(user_id) for nip, user_id in rows}
