"""The ordered list of demo loaders. A feature adds its demo content by appending one :class:`DemoStep`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from portal.competencies.seed import upsert_catalogue
from portal.core.i18n import lazy_gettext as _l
from portal.demo import articles, feedback, forums, learning, people, planning, profiles, workshops
from portal.demo.context import DemoContext
from portal.units.seed import upsert_units


@dataclass(frozen=True)
class DemoStep:
    label: Any  # shown in the command's output
    load: Callable[[DemoContext], Mapping[str, int]]  # idempotent; commits; counts "created"/"updated"/...


def _units(_context: DemoContext) -> Mapping[str, int]:
    return upsert_units()


def _competencies(_context: DemoContext) -> Mapping[str, int]:
    return upsert_catalogue()


# Order matters: later steps use what earlier ones loaded (accounts need units, content needs authors).
STEPS: list[DemoStep] = [
    DemoStep(_l("Unit kerja (OPD)"), _units),
    DemoStep(_l("Katalog kompetensi"), _competencies),
    DemoStep(_l("Pengguna"), people.load),
    DemoStep(_l("Artikel pengetahuan"), articles.load),
    DemoStep(_l("Forum diskusi"), forums.load),
    DemoStep(_l("Jenis pengembangan kompetensi"), workshops.load_development_types),
    DemoStep(_l("Pelatihan"), workshops.load),
    DemoStep(_l("Penanda tangan sertifikat kota"), workshops.load_city_signer),
    DemoStep(_l("Jabatan, atasan, profil kompetensi dan rencana"), profiles.load),  # supervisors: see feedback
    DemoStep(_l("Rekam jejak belajar"), learning.load),
    DemoStep(_l("Evaluasi dan survei"), feedback.load),  # follow-ups ask the participants' supervisors
    DemoStep(_l("Rencana pengembangan tahunan"), planning.load),  # suggestions read gaps, plans and needs above
]
