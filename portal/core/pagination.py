"""Offset pagination for small admin lists. Large public lists use keyset pagination in their feature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from portal.core.inputs import int_arg
from portal.extensions import db

T = TypeVar("T")
MAX_PER_PAGE = 100


class PageLinks:
    """Previous/next for a numbered page; the class says how many ``pages`` there are."""

    page: int

    @property
    def pages(self) -> int:
        raise NotImplementedError

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class Page(PageLinks, Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_arg(default: int = 1) -> int:
    """The ``page`` query-string number; a missing, malformed or out-of-range one is ``default``, below 1 is 1."""
    page = int_arg("page", default)
    return max(1, page if page is not None else default)


def paginate(stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=items, page=page, per_page=per_page, total=total)
