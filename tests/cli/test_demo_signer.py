"""The demo city's certificates carry a signer: the head of BKPSDM, set once as the city's default signer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.accounts.nip import parse_nip
from portal.demo import people
from portal.demo import workshops as workshop_demo
from portal.demo.context import DemoContext
from portal.extensions import db
from portal.workshops import services
from portal.workshops.models import Workshop
from portal.workshops.services import SignerInput

POSITION = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kota Sawahlunto"


def test_the_demo_sets_the_city_signer_and_every_certificate_shows_it(demo_loaded):
    assert "Penanda tangan sertifikat kota: 1 dibuat, 0 diperbarui, 0 tidak berubah" in demo_loaded.output
    profile = services.profile_of(None)
    assert profile is not None
    assert (profile.signer_name, profile.signer_position) == ("Hj. Elfia Murni, S.H., M.M.", POSITION)
    assert parse_nip(profile.signer_nip, today=date(2026, 1, 1)).nip == profile.signer_nip
    workshops = db.session.scalars(select(Workshop)).all()
    assert workshops
    for workshop in workshops:
        signer = services.certificate_look(workshop).signer
        assert signer is not None and signer.position == POSITION, workshop.title


def test_a_rerun_keeps_a_signer_the_admin_changed(demo_loaded):
    admin = accounts.get_by_nip(people.demo_admin().nip)
    assert admin is not None
    services.save_signer(admin, None, SignerInput(name="Drs. Zulfahmi", position="Sekretaris Daerah Kota Sawahlunto"))
    assert workshop_demo.load_city_signer(DemoContext("Sawahlunto#2026")) == {"unchanged": 1}
    profile = services.profile_of(None)
    assert profile is not None and profile.signer_name == "Drs. Zulfahmi"
