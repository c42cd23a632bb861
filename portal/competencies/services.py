"""Competency catalogue: lookups for other features, the read-only catalogue, and the admin's CRUD."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from portal.audit import services as audit
from portal.competencies.models import LEVELS, Competency, CompetencyCategory, CompetencyLevel
from portal.core import records
from portal.core.forms import RuleError
from portal.core.i18n import lazy_gettext as _l
from portal.core.pagination import Page, paginate
from portal.core.permissions import Actor, Permission, has_permission, require
from portal.extensions import db

# Letter groups, optional letter/digit groups, digits last, joined by single dots: M.01, SK.01, T.KES.01.
CODE_RE = re.compile(r"^[A-Z]+(\.[A-Z0-9]+)*\.[0-9]+$")
CODE_MAX, NAME_MIN, NAME_MAX, TEXT_MAX = 20, 3, 160, 4000

CATEGORY_LABELS: dict[CompetencyCategory, Any] = {
    CompetencyCategory.TECHNICAL: _l("Teknis"),
    CompetencyCategory.MANAGERIAL: _l("Manajerial"),
    CompetencyCategory.SOCIO_CULTURAL: _l("Sosial kultural"),
}


class CompetencyError(RuleError):
    """A competency rule was broken."""


@dataclass
class CompetencyData:
    code: str
    category: CompetencyCategory | str
    name: str
    description: str | None = ""
    levels: Mapping[int, str] = field(default_factory=dict)  # level number -> description


# ---------------------------------------------------------------- lookups for every feature


def normalize_code(code: str) -> str:
    return (code or "").strip().upper()


def get_by_code(code: str) -> Competency | None:
    return db.session.scalar(select(Competency).where(Competency.code == normalize_code(code)))


def by_ids(competency_ids: Iterable[int]) -> dict[int, Competency]:
    """Competencies by id, in one query (aggregates that carry only ids, e.g. the needs analysis)."""
    ids = set(competency_ids)
    if not ids:
        return {}
    return {c.id: c for c in db.session.scalars(select(Competency).where(Competency.id.in_(ids)))}


def list_active() -> list[Competency]:
    """Active competencies for filters and pickers, without their level descriptions (no caller shows them)."""
    stmt = select(Competency).where(Competency.is_active.is_(True)).order_by(Competency.category, Competency.code)
    return list(db.session.scalars(stmt))


def count_active() -> int:
    return db.session.scalar(select(func.count()).select_from(Competency).where(Competency.is_active.is_(True))) or 0


def parse_category(value: str | None) -> CompetencyCategory | None:
    """A category from a query string; anything unknown means 'all categories'."""
    try:
        return CompetencyCategory(value) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------- catalogue (every logged-in user)


def _filtered(stmt: Select[Any], category: CompetencyCategory | None, query: str) -> Select[Any]:
    if category:
        stmt = stmt.where(Competency.category == category)
    query = (query or "").strip().lower()
    if query:
        term = f"%{query}%"
        stmt = stmt.where(or_(func.lower(Competency.name).like(term), func.lower(Competency.code).like(term)))
    return stmt


def catalogue(
    category: CompetencyCategory | None = None, query: str = ""
) -> dict[CompetencyCategory, list[Competency]]:
    """Active competencies grouped by category, in the framework's category order; empty groups left out."""
    stmt = _filtered(select(Competency).where(Competency.is_active.is_(True)), category, query)
    groups: dict[CompetencyCategory, list[Competency]] = {c: [] for c in CATEGORY_LABELS}
    for competency in db.session.scalars(stmt.order_by(Competency.code)):
        groups[competency.category].append(competency)
    return {c: items for c, items in groups.items() if items}


def get_visible(viewer: Actor, code: str) -> Competency | None:
    """A competency with its levels; inactive ones only for catalogue managers."""
    stmt = select(Competency).where(Competency.code == normalize_code(code)).options(selectinload(Competency.levels))
    competency = db.session.scalar(stmt)
    if competency is None or (not competency.is_active and not has_permission(viewer, Permission.MANAGE_COMPETENCIES)):
        return None
    return competency


# ---------------------------------------------------------------- administration


def list_for_admin(
    actor: Actor,
    page: int,
    category: CompetencyCategory | None = None,
    query: str = "",
    per_page: int = 50,
) -> Page[Competency]:
    require(actor, Permission.MANAGE_COMPETENCIES)
    stmt = _filtered(select(Competency), category, query)
    return paginate(stmt.order_by(Competency.is_active.desc(), Competency.category, Competency.code), page, per_page)


def _check_code(code: str, exclude_id: int | None) -> str:
    code = normalize_code(code)
    if len(code) > CODE_MAX or not CODE_RE.match(code):
        raise CompetencyError(
            _l(
                "Kode kompetensi hanya berisi huruf, angka, dan titik, diawali huruf dan diakhiri angka "
                "(contoh: M.01, SK.01, T.KES.01), maksimal %(max)d karakter.",
                max=CODE_MAX,
            ),
            "code",
        )
    stmt = select(Competency.id).where(Competency.code == code)
    if exclude_id:
        stmt = stmt.where(Competency.id != exclude_id)
    if db.session.scalar(stmt):
        raise CompetencyError(_l("Kode kompetensi %(code)s sudah dipakai.", code=code), "code")
    return code


def _check_category(category: CompetencyCategory | str) -> CompetencyCategory:
    try:
        return CompetencyCategory(category)
    except ValueError:
        raise CompetencyError(_l("Kategori kompetensi tidak dikenal."), "category") from None


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise CompetencyError(_l("Nama kompetensi harus %(min)d-%(max)d karakter.", min=NAME_MIN, max=NAME_MAX), "name")
    return name


def _check_text(text: str | None, field_name: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise CompetencyError(_l("Teks maksimal %(max)d karakter.", max=TEXT_MAX), field_name)
    return text


def _check_levels(levels: Mapping[int, str]) -> dict[int, str]:
    checked = {}
    for level in LEVELS:
        description = _check_text(levels.get(level, ""), f"level_{level}")
        if not description:
            raise CompetencyError(_l("Deskripsi level %(n)d wajib diisi.", n=level), f"level_{level}")
        checked[level] = description
    return checked


def _validated(data: CompetencyData, exclude_id: int | None = None) -> tuple[dict[str, Any], dict[int, str]]:
    values = {
        "code": _check_code(data.code, exclude_id),
        "category": _check_category(data.category),
        "name": _check_name(data.name),
        "description": _check_text(data.description, "description"),
    }
    return values, _check_levels(data.levels)


def _conflict() -> CompetencyError:  # another admin saved the same code between our check and the write
    return CompetencyError(_l("Kode kompetensi ini baru saja dipakai. Periksa lalu coba lagi."), "code")


def create(actor: Actor, data: CompetencyData) -> Competency:
    require(actor, Permission.MANAGE_COMPETENCIES)
    values, levels = _validated(data)
    competency = Competency(**values, levels=[CompetencyLevel(level=n, description=text) for n, text in levels.items()])
    db.session.add(competency)
    db.session.flush()
    audit.record(actor, "competency.create", competency, code=competency.code)
    records.commit_unique(_conflict())
    return competency


def update(actor: Actor, competency: Competency, data: CompetencyData) -> Competency:
    require(actor, Permission.MANAGE_COMPETENCIES)
    values, levels = _validated(data, exclude_id=competency.id)
    changed = [key for key, value in values.items() if getattr(competency, key) != value]
    existing = {level.level: level for level in competency.levels}
    for number, text in levels.items():
        if number not in existing:
            competency.levels.append(CompetencyLevel(level=number, description=text))
            changed.append(f"level_{number}")
        elif existing[number].description != text:
            existing[number].description = text
            changed.append(f"level_{number}")
    if not changed:
        return competency
    for key, value in values.items():
        setattr(competency, key, value)
    audit.record(actor, "competency.update", competency, code=competency.code, fields=changed)
    records.commit_unique(_conflict())
    return competency


def set_active(actor: Actor, competency: Competency, active: bool) -> None:
    records.set_active(
        actor, competency, active, permission=Permission.MANAGE_COMPETENCIES, action="competency", audit=audit.record
    )
