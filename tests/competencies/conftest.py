from __future__ import annotations

import pytest

from portal.competencies.models import Competency, CompetencyCategory, CompetencyLevel
from portal.extensions import db


@pytest.fixture
def make_competency():
    def factory(code: str, name: str, category=CompetencyCategory.MANAGERIAL, **fields) -> Competency:
        competency = Competency(
            code=code,
            name=name,
            category=category,
            levels=[CompetencyLevel(level=n, description=f"Deskripsi {code} level {n}") for n in range(1, 6)],
            **fields,
        )
        db.session.add(competency)
        db.session.commit()
        return competency

    return factory


def level_form(**overrides) -> dict[str, str]:
    """A complete competency form as a browser sends it."""
    data = {
        "code": "T.KES.01",
        "category": "teknis",
        "name": "Pelayanan Kesehatan Dasar",
        "description": "Kemampuan memberikan pelayanan kesehatan dasar kepada masyarakat.",
        **{f"level_{n}": f"Perilaku level {n}" for n in range(1, 6)},
    }
    data.update(overrides)
    return data
