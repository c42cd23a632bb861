"""Recognised development in the column layout of SIASN's "riwayat diklat" (see docs/siasn-export.md).

Only **verified** records are exported: what SIASN receives must have been checked by BKPSDM (or credited from
recorded attendance). The header stays the same in every interface language: it is a documented file layout,
and the people who map it to SIASN rely on it. Cells that a spreadsheet would run as a formula are neutralised by
:mod:`portal.core.exports`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.core.exports import Table
from portal.core.permissions import Actor
from portal.core.timezone import to_local
from portal.extensions import db
from portal.learning.models import DevelopmentType, LeadershipLevel, LearningRecord, LearningStatus
from portal.learning.services import oversight
from portal.learning.services.dashboard import NO_UNIT, Dashboard, JpBreakdown, Scope, counted_users, year_bounds
from portal.learning.services.siasn import siasn_date

HEADER = (
    "NIP",
    "Nama",
    "Kode Jenis Pengembangan",
    "Jenis Pengembangan",
    "Nama Kegiatan",
    "Penyelenggara",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Tahun",
    "JP",
    "Nomor Sertifikat",
    # Added for SIASN's riwayat kursus/diklat upload (docs/siasn-export.md): its reference numbers and date form.
    "jenisDiklatId",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "Tingkat Diklat Struktural",
    "latihanStrukturalId",
)
SHEET_NAME = "Riwayat Diklat"


def _rows(stmt: Select) -> list[list[Any]]:
    return [
        [
            *(nip, name, code or "", type_name or "", title, provider, start, end, end.year, jp, number),
            *(type_siasn, siasn_date(start), siasn_date(end), level_name or "", level_siasn),
        ]
        for (
            nip,
            name,
            code,
            type_name,
            title,
            provider,
            start,
            end,
            jp,
            number,
            type_siasn,
            level_name,
            level_siasn,
        ) in db.session.execute(stmt)
    ]


def _statement(year: int | None) -> Select:
    stmt = (
        select(
            User.nip,
            User.name,
            DevelopmentType.code,
            DevelopmentType.name,
            LearningRecord.title,
            LearningRecord.provider,
            LearningRecord.start_date,
            LearningRecord.end_date,
            LearningRecord.jp,
            LearningRecord.certificate_number,
            DevelopmentType.siasn_id,
            LeadershipLevel.name,
            LeadershipLevel.siasn_id,
        )
        .select_from(LearningRecord)
        .join(User, User.id == LearningRecord.user_id)
        .outerjoin(DevelopmentType, DevelopmentType.id == LearningRecord.development_type_id)
        .outerjoin(LeadershipLevel, LeadershipLevel.id == LearningRecord.leadership_level_id)
        .where(LearningRecord.status == LearningStatus.VERIFIED)
        .order_by(User.name, User.nip, LearningRecord.start_date, LearningRecord.end_date, LearningRecord.id)
    )
    if year is not None:
        first, last = year_bounds(year)
        stmt = stmt.where(LearningRecord.end_date.between(first, last))
    return stmt


def visible_person(viewer: Actor, user_id: int) -> User | None:
    """The person whose records the viewer may export; None when unknown or not theirs to see (a 404)."""
    owner = accounts.get_user(user_id)
    if owner is None or not oversight.can_view_records(viewer, owner):
        return None
    return owner


def person_table(owner: User, year: int | None = None) -> Table:
    """One person's verified records (every year, or one), oldest first, with the header row."""
    return [list(HEADER), *_rows(_statement(year).where(LearningRecord.user_id == owner.id))]


def unit_table(scope: Scope) -> Table:
    """The verified records of the year of everyone the dashboard counts in the scope's unit (or the city)."""
    return [list(HEADER), *_rows(counted_users(_statement(scope.year), scope.unit_ids))]


def person_filename(owner: User, kind: str, year: int | None = None) -> str:
    """``siasn-<NIP>[-<year>].<kind>``: ASCII from digits only, never user text."""
    return f"siasn-{owner.nip}{f'-{year}' if year else ''}.{kind}"


def unit_filename(scope: Scope, kind: str) -> str:
    """``siasn-unit-<id>-<year>.<kind>``, or ``siasn-kota-<year>.<kind>`` for the whole city."""
    where = f"unit-{scope.unit_id}" if scope.unit_id else "kota"
    return f"siasn-{where}-{scope.year}.{kind}"


# ---------------------------------------------------------------- the dashboard's tables as a workbook


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def dashboard_sheets(board: Dashboard) -> list[tuple[str, Table]]:
    """Every table of the dashboard, one worksheet each, in the interface language."""
    unit_names = {row.unit_id: row.name for row in board.units}
    return [
        (
            str(_("Capaian per unit")),
            [
                [
                    _("Unit"),
                    _("Jumlah ASN"),
                    _("ASN dengan target"),
                    _("Mencapai target"),
                    _("Mencapai target (%)"),
                    _("Rata-rata JP"),
                    _("Total JP"),
                    _("Melebihi batas (PPPK)"),
                ],
                *(
                    [
                        row.name,
                        row.people,
                        row.subject,
                        row.reached,
                        round(row.percent, 1),
                        round(row.mean_jp, 1),
                        row.total_jp,
                        row.over_ceiling,
                    ]
                    for row in [*board.units, board.total]
                ),
            ],
        ),
        (
            str(_("Di bawah target")),
            [
                [
                    _("Unit"),
                    "NIP",
                    _("Nama"),
                    _("Status"),
                    "JP",
                    _("Target"),
                    _("Kurang JP"),
                    _("JP menunggu verifikasi"),
                ],
                *(
                    [
                        unit_names.get(p.unit_id, str(NO_UNIT)),
                        p.nip,
                        p.name,
                        p.employment_status.value,
                        p.jp,
                        p.target,
                        p.missing,
                        p.pending_jp,
                    ]
                    for p in board.below_target
                ),
            ],
        ),
        (
            str(_("Melebihi batas")),
            [
                [
                    _("Unit"),
                    "NIP",
                    _("Nama"),
                    _("Status"),
                    "JP",
                    _("Batas"),
                    _("Kelebihan JP"),
                    _("Periode"),
                    _("Dasar hukum"),
                ],
                *(
                    [
                        unit_names.get(p.unit_id, str(NO_UNIT)),
                        p.nip,
                        p.name,
                        p.employment_status.value,
                        p.jp,
                        p.target,
                        p.excess,
                        p.period.label() if p.period else str(board.scope.year),
                        p.basis,
                    ]
                    for p in board.over_ceiling
                ),
            ],
        ),
        (str(_("Sebaran JP")), [[_("Rentang JP"), _("Jumlah ASN")], *([label, n] for label, n in board.distribution)]),
        (str(_("JP per jenis")), _breakdown_table(_("Jenis pengembangan"), board.by_type)),
        (str(_("JP per kompetensi")), _breakdown_table(_("Kompetensi"), board.by_competency)),
        (
            str(_("Kesenjangan kompetensi")),
            [
                [
                    _("Unit"),
                    _("Kompetensi"),
                    _("Pegawai yang dipersyaratkan"),
                    _("Pegawai yang menilai"),
                    _("Rata-rata kesenjangan"),
                ],
                *(
                    [gap.unit.name, str(gap.competency), gap.people_required, gap.people_assessed, gap.mean_gap]
                    for gap in board.gaps
                ),
            ],
        ),
        (
            str(_("Kebutuhan pelatihan")),
            [
                [_("Kompetensi"), _("Rata-rata kebutuhan"), _("Kebutuhan tinggi (%)"), _("Responden")],
                *(
                    [str(need.competency), need.mean_need, _percent(need.high_share), need.respondents]
                    for need in board.needs
                ),
            ],
        ),
        (
            str(_("Pelatihan")),
            [
                [
                    _("Pelatihan"),
                    _("Tanggal mulai"),
                    _("Kapasitas"),
                    _("Terkonfirmasi"),
                    _("Keterisian (%)"),
                    _("Selesai"),
                    _("Kehadiran (%)"),
                ],
                *(
                    [
                        w.title,
                        to_local(w.starts_at).date(),
                        w.capacity,
                        w.confirmed,
                        _percent(w.fill_rate),
                        w.completed if w.ended else None,
                        _percent(w.attendance_rate),
                    ]
                    for w in board.workshops.workshops
                ),
            ],
        ),
        (
            str(_("Tren evaluasi")),
            [[_("Bulan"), _("Rata-rata reaksi (L1)"), _("Respons")], *board.trend_rows()],
        ),
        (
            str(_("Program perlu ditinjau")),
            [
                [
                    _("Program"),
                    _("Penyelenggaraan"),
                    _("Rata-rata reaksi (L1)"),
                    _("Kenaikan nilai (L2)"),
                    _("Berubah perilaku, L3 (%)"),
                    _("Alasan"),
                ],
                *(
                    [
                        str(p.program),
                        len(p.runs),
                        p.l1_mean,
                        p.l2_gain,
                        _percent(p.l3_change_share),
                        "; ".join(map(str, p.reasons)),
                    ]
                    for p in board.flagged
                ),
            ],
        ),
    ]


def _breakdown_table(label: str, rows: Sequence[JpBreakdown]) -> Table:
    return [
        [_("Kode"), label, "JP", _("Kegiatan"), _("ASN")],
        *([row.code, row.name, row.jp, row.records, row.people] for row in rows),
    ]
