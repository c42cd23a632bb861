"""Ready-made forms: the standard training evaluation (L1), pre-/post-test samples (L2), the post-training
follow-ups for participant and supervisor (L3), and the competency-needs survey (AKPK).

A template's questions become the new form's content, so they are written in Indonesian like the forms
respondents fill in (content, not interface text); only the names shown in the template gallery are translated.
The evaluation follows the L1 practice of government training: penyelenggaraan, materi, one grid per
pengajar/fasilitator (``trainer_name`` set, for per-trainer scores), sarana, manfaat and saran.

:func:`create_from_template` is what the builder, the workshop page ("Pasang evaluasi standar") and the demo
data call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.competencies import services as competencies
from portal.core.i18n import lazy_gettext as _l
from portal.core.permissions import Actor
from portal.feedback.models import FeedbackForm, FormAudience, FormPurpose, LikertScale, QuestionKind
from portal.feedback.services.building import FormInput, SectionInput, create_form
from portal.feedback.services.common import (
    DEFAULT_FOLLOWUP_DAYS,
    TITLE_MAX,
    TRAINER_MAX,
    WORKSHOP_PURPOSES,
    FeedbackError,
)
from portal.feedback.services.questions import OptionInput, QuestionInput
from portal.workshops.models import Workshop

QUALITY, AGREEMENT, NEED = LikertScale.QUALITY, LikertScale.AGREEMENT, LikertScale.NEED
GRID, LIKERT, SINGLE, MULTIPLE = QuestionKind.GRID, QuestionKind.LIKERT, QuestionKind.SINGLE, QuestionKind.MULTIPLE
LONG_TEXT, TECHNICAL = QuestionKind.LONG_TEXT, QuestionKind.TECHNICAL

TRAINER_ITEMS = (
    "Penguasaan materi",
    "Sistematika penyajian",
    "Metode dan alat bantu yang digunakan",
    "Ketepatan waktu",
    "Interaksi dan empati kepada peserta",
)
# The managerial and socio-cultural competencies of PermenPANRB 38/2017; the catalogue's own names win.
NEEDS_COMPETENCIES = (
    ("M.01", "Integritas"),
    ("M.02", "Kerja Sama"),
    ("M.03", "Komunikasi"),
    ("M.04", "Orientasi pada Hasil"),
    ("M.05", "Pelayanan Publik"),
    ("M.06", "Pengembangan Diri dan Orang Lain"),
    ("M.07", "Mengelola Perubahan"),
    ("M.08", "Pengambilan Keputusan"),
    ("SK.01", "Perekat Bangsa"),
)
DEVELOPMENT_FORMS = (
    "Pelatihan klasikal (tatap muka)",
    "Bimbingan teknis",
    "E-learning atau pelatihan jarak jauh",
    "Coaching atau mentoring",
    "Seminar atau workshop",
    "Magang atau detasering",
    "Belajar mandiri atau komunitas belajar",
)


def _question(kind: QuestionKind, label: str, **values: Any) -> QuestionInput:
    options = [item if isinstance(item, OptionInput) else OptionInput(item) for item in values.pop("options", ())]
    return QuestionInput(kind=kind, label=label, options=options, **values)


def _grid(label: str, items: tuple[str, ...], scale: LikertScale = QUALITY, **values: Any) -> QuestionInput:
    return _question(GRID, label, scale=scale, options=items, **values)


def _suggestions(label: str) -> QuestionInput:
    return _question(LONG_TEXT, label, required=False)


# ---------------------------------------------------------------- the templates' content


def _evaluation(workshop: Workshop | None) -> list[SectionInput]:
    trainers = workshop.trainer_list if workshop is not None else []
    trainer_grids = [
        _grid(f"Penilaian untuk {name}", TRAINER_ITEMS, trainer_name=name[:TRAINER_MAX]) for name in trainers
    ] or [_grid("Penilaian untuk pengajar/fasilitator", TRAINER_ITEMS)]
    return [
        SectionInput(
            "Penyelenggaraan",
            [
                _grid(
                    "Bagaimana penilaian Anda tentang penyelenggaraan pelatihan?",
                    (
                        "Persiapan dan pengorganisasian pelatihan",
                        "Kesesuaian jadwal dengan pelaksanaan",
                        "Kesiapan dan tanggapan panitia terhadap kebutuhan peserta",
                        "Koordinasi dan penyampaian informasi oleh panitia",
                    ),
                )
            ],
        ),
        SectionInput(
            "Materi",
            [
                _grid(
                    "Bagaimana penilaian Anda tentang materi pelatihan?",
                    (
                        "Materi jelas dan mudah dipahami",
                        "Materi menambah wawasan",
                        "Materi bermanfaat untuk pekerjaan",
                        "Materi sesuai dengan tujuan pelatihan",
                    ),
                )
            ],
        ),
        SectionInput(
            "Pengajar/fasilitator", trainer_grids, "Nilailah setiap pengajar atau fasilitator yang Anda ikuti."
        ),
        SectionInput(
            "Sarana",
            [
                _grid(
                    "Bagaimana penilaian Anda tentang sarana pelatihan?",
                    (
                        "Media dan alat bantu pembelajaran",
                        "Bahan dan perlengkapan pelatihan",
                        "Kenyamanan ruangan",
                    ),
                )
            ],
        ),
        SectionInput(
            "Manfaat",
            [
                _question(LIKERT, "Pelatihan ini bermanfaat untuk pekerjaan saya.", scale=AGREEMENT),
                _question(LIKERT, "Saya akan menyarankan pelatihan ini kepada rekan kerja.", scale=AGREEMENT),
            ],
        ),
        SectionInput("Saran", [_suggestions("Saran Anda untuk perbaikan pelatihan berikutnya")]),
    ]


def _followup_participant(_workshop: Workshop | None) -> list[SectionInput]:
    return [
        SectionInput(
            "Penerapan hasil pelatihan",
            [
                _question(
                    LIKERT,
                    "Saya menerapkan pengetahuan dan keterampilan dari pelatihan dalam pekerjaan sehari-hari.",
                    scale=AGREEMENT,
                ),
                _question(LIKERT, "Cara saya bekerja berubah menjadi lebih baik setelah pelatihan.", scale=AGREEMENT),
                _question(LIKERT, "Hasil kerja saya meningkat setelah pelatihan.", scale=AGREEMENT),
                _question(LIKERT, "Atasan dan rekan kerja mendukung saya menerapkan hasil pelatihan.", scale=AGREEMENT),
            ],
            "Beberapa bulan setelah pelatihan: sejauh mana hasilnya terpakai dalam pekerjaan Anda?",
        ),
        SectionInput(
            "Cerita Anda",
            [
                _suggestions("Contoh penerapan hasil pelatihan dalam pekerjaan Anda"),
                _suggestions("Hambatan yang Anda hadapi dalam menerapkan hasil pelatihan"),
            ],
        ),
    ]


def _followup_supervisor(_workshop: Workshop | None) -> list[SectionInput]:
    return [
        SectionInput(
            "Perubahan pada pegawai",
            [
                _question(LIKERT, "Pegawai ini menerapkan hasil pelatihan dalam pekerjaannya.", scale=AGREEMENT),
                _question(LIKERT, "Kinerja pegawai ini meningkat setelah pelatihan.", scale=AGREEMENT),
                _question(
                    LIKERT,
                    "Perilaku kerja pegawai ini berubah menjadi lebih baik (mis. pelayanan, ketelitian, kerja sama).",
                    scale=AGREEMENT,
                ),
            ],
            "Sebagai atasan langsung, nilailah perubahan yang Anda amati pada pegawai setelah pelatihan.",
        ),
        SectionInput(
            "Catatan atasan",
            [
                _suggestions("Perubahan yang Anda amati"),
                _suggestions("Kebutuhan pengembangan lanjutan bagi pegawai ini"),
            ],
        ),
    ]


def _needs_item(code: str, name: str) -> OptionInput:
    competency = competencies.get_by_code(code)
    if competency is None or not competency.is_active:
        return OptionInput(f"{code} {name}")
    return OptionInput(f"{competency.code} {competency.name}", competency_code=competency.code)


def _needs_survey(_workshop: Workshop | None) -> list[SectionInput]:
    items = [_needs_item(code, name) for code, name in NEEDS_COMPETENCIES]
    return [
        SectionInput(
            "Kompetensi manajerial dan sosial kultural",
            [
                _question(
                    GRID,
                    "Seberapa perlu Anda mengembangkan kompetensi berikut dalam setahun ke depan?",
                    scale=NEED,
                    options=items,
                    help_text="Menurut standar kompetensi jabatan Anda (PermenPANRB 38/2017).",
                )
            ],
        ),
        SectionInput(
            "Kebutuhan lain",
            [
                _question(
                    TECHNICAL,
                    "Kompetensi teknis yang paling Anda perlukan untuk pekerjaan Anda",
                    required=False,
                    help_text='Ketik untuk mencari di katalog kompetensi teknis. Bila tidak ada, pilih "Lainnya" '
                    "dan tuliskan; BKPSDM akan mengelompokkannya.",
                ),
                _question(SINGLE, "Bentuk pengembangan kompetensi yang paling Anda sukai", options=DEVELOPMENT_FORMS),
            ],
        ),
    ]


def _test(_workshop: Workshop | None) -> list[SectionInput]:
    def choice(label: str, options: tuple[str, ...], correct: tuple[int, ...], kind: QuestionKind = SINGLE):
        rows = [OptionInput(text, is_correct=index in correct) for index, text in enumerate(options)]
        return _question(kind, label, options=rows, points=25)

    return [
        SectionInput(
            "",
            [
                choice(
                    "Undang-undang yang mengatur pelayanan publik adalah …",
                    (
                        "UU Nomor 25 Tahun 2009",
                        "UU Nomor 20 Tahun 2023",
                        "UU Nomor 23 Tahun 2014",
                        "UU Nomor 14 Tahun 2008",
                    ),
                    (0,),
                ),
                choice(
                    "Nilai dasar ASN yang berlaku saat ini disebut …",
                    ("BerAKHLAK", "Panca Prasetya", "SIGAP", "TERTIB"),
                    (0,),
                ),
                choice(
                    "Setiap PNS berhak atas pengembangan kompetensi paling sedikit … JP per tahun.",
                    ("10 JP", "20 JP", "40 JP", "80 JP"),
                    (1,),
                ),
                choice(
                    "Manakah yang termasuk kompetensi manajerial? (pilih semua yang benar)",
                    ("Integritas", "Kerja Sama", "Perekat Bangsa", "Komunikasi"),
                    (0, 1, 3),
                    MULTIPLE,
                ),
            ],
        )
    ]


@dataclass(frozen=True)
class Template:
    key: str
    name: Any  # shown in the gallery
    summary: Any
    title: str  # the new form's title
    description: str
    purpose: FormPurpose
    audience: FormAudience
    is_anonymous: bool
    content: Callable[[Workshop | None], list[SectionInput]]
    followup_days: int | None = None

    @property
    def for_workshop(self) -> bool:
        return self.purpose in WORKSHOP_PURPOSES


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "evaluation",
            _l("Evaluasi pelatihan standar (L1)"),
            _l("Penyelenggaraan, materi, setiap pengajar, sarana, manfaat, dan saran. Anonim."),
            "Evaluasi Pelatihan",
            "Penilaian Anda membantu kami memperbaiki pelatihan berikutnya. Jawaban Anda anonim.",
            FormPurpose.EVALUATION,
            FormAudience.WORKSHOP,
            True,
            _evaluation,
        ),
        Template(
            "pretest",
            _l("Pre-test (L2), contoh"),
            _l("Soal pilihan dengan kunci jawaban; ganti dengan soal materi Anda."),
            "Pre-test",
            "Kerjakan sebelum pelatihan dimulai. Hasilnya dibandingkan dengan post-test.",
            FormPurpose.PRE_TEST,
            FormAudience.WORKSHOP,
            False,
            _test,
        ),
        Template(
            "posttest",
            _l("Post-test (L2), contoh"),
            _l("Soal yang sama dengan pre-test, untuk mengukur peningkatan."),
            "Post-test",
            "Kerjakan setelah pelatihan selesai.",
            FormPurpose.POST_TEST,
            FormAudience.WORKSHOP,
            False,
            _test,
        ),
        Template(
            "followup_participant",
            _l("Evaluasi pasca pelatihan: peserta (L3)"),
            _l("Beberapa bulan kemudian: penerapan, perubahan cara kerja, hambatan."),
            "Evaluasi Pasca Pelatihan (Peserta)",
            "Ceritakan bagaimana hasil pelatihan terpakai dalam pekerjaan Anda.",
            FormPurpose.FOLLOWUP_PARTICIPANT,
            FormAudience.WORKSHOP,
            False,
            _followup_participant,
            DEFAULT_FOLLOWUP_DAYS,
        ),
        Template(
            "followup_supervisor",
            _l("Evaluasi pasca pelatihan: atasan (L3)"),
            _l("Atasan langsung menilai perubahan kinerja dan perilaku kerja pegawainya."),
            "Evaluasi Pasca Pelatihan (Atasan)",
            "Pegawai yang Anda bina telah mengikuti pelatihan ini. Bagaimana perubahannya dalam pekerjaan?",
            FormPurpose.FOLLOWUP_SUPERVISOR,
            FormAudience.WORKSHOP,
            False,
            _followup_supervisor,
            DEFAULT_FOLLOWUP_DAYS,
        ),
        Template(
            "needs_survey",
            _l("Survei kebutuhan kompetensi (AKPK)"),
            _l(
                "Kompetensi manajerial M.01–M.08 dan SK.01 pada skala kebutuhan, kompetensi teknis dari katalog, "
                "bentuk pengembangan."
            ),
            "Survei Kebutuhan Pengembangan Kompetensi",
            "Bantu BKPSDM merencanakan pelatihan tahun depan: kompetensi apa yang paling Anda perlukan?",
            FormPurpose.NEEDS_SURVEY,
            FormAudience.ALL_ASN,
            True,
            _needs_survey,
        ),
    )
}


def create_from_template(
    actor: Actor,
    key: str,
    workshop: Workshop | None = None,
    *,
    title: str | None = None,
    followup_days: int | None = None,
) -> FeedbackForm:
    """A new draft form from a built-in template, attached to ``workshop`` when given (workshop templates).

    For the evaluation, the workshop's trainers each get their own grid. Needs the same rights as creating a
    form, plus managing the workshop; raises :class:`FeedbackError` for an unknown key.
    """
    template = TEMPLATES.get(key)
    if template is None:
        raise FeedbackError(_l("Templat tidak dikenal."))
    attached = workshop if template.for_workshop else None
    default_title = f"{template.title}: {attached.title}" if attached is not None else template.title
    data = FormInput(
        title=(title or default_title)[:TITLE_MAX],
        description=template.description,
        purpose=template.purpose,
        audience=template.audience,
        is_anonymous=template.is_anonymous,
        workshop_id=attached.id if attached is not None else None,
        followup_days=followup_days or template.followup_days,
    )
    return create_form(actor, data, template.content(attached), template_key=key)
