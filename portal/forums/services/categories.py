"""Forum categories: the always-present general one, which the user may see, and their management by admins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.audit import services as audit
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor, Permission, require
from portal.extensions import db
from portal.forums.models import ForumCategory, Visibility
from portal.forums.services.access import can_view_category
from portal.forums.services.common import ForumError, _one_line
from portal.forums.services.counters import _queue_category_threads
from portal.units import services as units

GENERAL_SLUG = "umum"
NAME_MIN, NAME_MAX, DESCRIPTION_MAX = 3, 100, 500
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class CategoryInput:
    name: str
    slug: str
    description: str = ""
    position: int | str = 0
    visibility: Visibility | str = Visibility.EVERYONE
    unit_id: int | None = None
    is_read_only: bool = False


def _all_categories() -> list[ForumCategory]:
    stmt = (
        select(ForumCategory)
        .options(joinedload(ForumCategory.unit))
        .order_by(ForumCategory.position, ForumCategory.name)
    )
    return list(db.session.scalars(stmt))


def _with_general(categories: list[ForumCategory]) -> list[ForumCategory]:
    """The general category always exists: it is created the first time the forum is opened without it."""
    if any(category.slug == GENERAL_SLUG for category in categories):
        return categories
    ensure_general_category()
    return _all_categories()


def ensure_general_category() -> ForumCategory:
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == GENERAL_SLUG))
    if category is None:
        category = ForumCategory(
            slug=GENERAL_SLUG,
            name="Umum",
            description=str(_l("Tanya jawab dan berbagi pengalaman apa saja seputar pekerjaan ASN.")),
        )
        db.session.add(category)
        try:
            db.session.commit()
        except IntegrityError:  # another request created it first
            db.session.rollback()
            category = db.session.scalars(select(ForumCategory).where(ForumCategory.slug == GENERAL_SLUG)).one()
    return category


def visible_categories(user: Actor) -> list[ForumCategory]:
    return [category for category in _with_general(_all_categories()) if can_view_category(user, category)]


def get_category(user: Actor, slug: str) -> ForumCategory | None:
    """The category if the user may see it; None otherwise (shown as 404, as if it did not exist)."""
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == (slug or "").lower()))
    if category is None or not can_view_category(user, category):
        return None
    return category


def manageable_categories(actor: User) -> list[ForumCategory]:
    require(actor, Permission.MANAGE_FORUMS)
    return _with_general(_all_categories())


def get_category_by_id(category_id: int) -> ForumCategory | None:
    return db.session.get(ForumCategory, category_id)


def _check_category(data: CategoryInput, category: ForumCategory | None) -> dict[str, Any]:
    name = _one_line(data.name)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ForumError(_l("Nama kategori harus %(min)d-%(max)d karakter.", min=NAME_MIN, max=NAME_MAX), "name")
    slug = (data.slug or "").strip().lower()
    if not 2 <= len(slug) <= 60 or not _SLUG.match(slug):
        raise ForumError(_l("Slug harus 2-60 karakter: huruf kecil, angka, dan tanda hubung."), "slug")
    clash = select(ForumCategory.id).where(ForumCategory.slug == slug)
    if category is not None:
        clash = clash.where(ForumCategory.id != category.id)
    if db.session.scalar(clash):
        raise ForumError(_l("Slug ini sudah dipakai kategori lain."), "slug")
    description = _one_line(data.description)
    if len(description) > DESCRIPTION_MAX:
        raise ForumError(_l("Deskripsi maksimal %(max)d karakter.", max=DESCRIPTION_MAX), "description")
    try:
        visibility = Visibility(data.visibility)
    except ValueError:
        raise ForumError(_l("Pilihan siapa yang dapat melihat tidak dikenal."), "visibility") from None
    unit_id = int(data.unit_id or 0) or None
    if visibility == Visibility.UNIT:
        if unit_id is None or not units.get_active(unit_id):
            raise ForumError(_l("Pilih unit kerja untuk ruang khusus unit."), "unit_id")
    else:
        unit_id = None
    if (
        category is not None
        and category.slug == GENERAL_SLUG
        and (slug != GENERAL_SLUG or visibility != Visibility.EVERYONE or data.is_read_only)
    ):
        raise ForumError(_l("Kategori Umum harus tetap terbuka untuk semua dan memakai slug umum."), "slug")
    return {
        "name": name,
        "slug": slug,
        "description": description,
        "position": _check_position(data.position),
        "visibility": visibility,
        "unit_id": unit_id,
        "is_read_only": bool(data.is_read_only),
    }


def _check_position(value: int | str) -> int:
    try:
        position = int(str(value).strip() or 0)
    except ValueError:
        position = None
    if position is None or not -1000 <= position <= 1000:
        raise ForumError(_l("Urutan harus bilangan bulat antara -1000 dan 1000."), "position")
    return position


def create_category(actor: User, data: CategoryInput) -> ForumCategory:
    require(actor, Permission.MANAGE_FORUMS)
    category = ForumCategory(**_check_category(data, None))
    db.session.add(category)
    db.session.flush()
    audit.record(actor, "forum.category_create", category, slug=category.slug)
    db.session.commit()
    return category


def update_category(actor: User, category: ForumCategory, data: CategoryInput) -> ForumCategory:
    require(actor, Permission.MANAGE_FORUMS)
    values = _check_category(data, category)
    changed = {key: str(value) for key, value in values.items() if getattr(category, key) != value}
    for key, value in values.items():
        setattr(category, key, value)
    if changed:
        audit.record(actor, "forum.category_update", category, **changed)
        _queue_category_threads(category.id)  # who may find its threads may have changed
    db.session.commit()
    return category
