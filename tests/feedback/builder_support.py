"""Helpers for the builder's tests: workshops through the workshop services, question inputs, the catalogue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from portal.competencies.seed import upsert_catalogue
from portal.feedback.services import OptionInput, QuestionInput
from portal.learning.seed import upsert_development_types
from portal.learning.services import get_development_type_by_code
from portal.workshops import services as workshops
from portal.workshops.services import SessionInput, WorkshopInput


def make_workshop(owner: Any, *, trainer_names: str = "", status: str = "published", days: float = 10) -> Any:
    upsert_development_types()
    start = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
    workshop = workshops.create(
        owner,
        WorkshopInput(
            title="Pelatihan Pelayanan Prima",
            development_type_id=get_development_type_by_code("KL03").id,
            provider_name="BKPSDM Kota Sawahlunto",
            trainer_names=trainer_names,
            sessions=[SessionInput(start, start + timedelta(hours=4))],
            capacity=30,
        ),
    )
    if status in ("published", "cancelled"):
        workshops.publish(owner, workshop)
    if status == "cancelled":
        workshops.cancel_workshop(owner, workshop, "Narasumber berhalangan hadir.")
    return workshops.get(workshop.id)


def catalogue() -> None:
    upsert_catalogue()


def likert(label: str = "Materi bermanfaat untuk pekerjaan saya.", **values: Any) -> QuestionInput:
    return QuestionInput(kind="likert", label=label, scale=values.pop("scale", "agreement"), **values)


def choice(label: str = "Nilai dasar ASN disebut …", kind: str = "single", **values: Any) -> QuestionInput:
    options = values.pop("options", [OptionInput("BerAKHLAK", is_correct=True), OptionInput("SIGAP")])
    return QuestionInput(kind=kind, label=label, options=options, **values)


def grid(label: str = "Penilaian sarana", items: tuple[str, ...] = ("Ruangan", "Media"), **values: Any):
    return QuestionInput(
        kind="grid",
        label=label,
        scale=values.pop("scale", "quality"),
        options=[OptionInput(i) for i in items],
        **values,
    )
