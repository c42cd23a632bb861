"""Account handles for @mentions: generated from the name at creation, unique, editable on the profile page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.accounts.models import User
from portal.extensions import db


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Rizal Efendi, S.Psi., M.M.", "rizal.efendi"),
        ("dr. Nofriadi Putra, Sp.PD.", "nofriadi.putra"),
        ("Ns. Sri Wahyuni, S.Kep.", "sri.wahyuni"),
        ("Syafril", "syafril"),
        ("Éva Sofía Ağaoğlu", "eva.sofia.agaoglu"),
        ("Al", "asn.al"),
        ("Muhammad Abdurrahman Wahid Kusumawardhana Putra", "muhammad.abdurrahman.wahid"),
    ],
)
def test_handles_come_from_the_name_without_titles(name, handle):
    assert accounts.handle_from_name(name) == handle


def test_every_new_account_gets_a_unique_handle(make_user):
    first = make_user(name="Rudi Hartono, S.T.")
    second = make_user(name="Rudi Hartono")
    db.session.add_all(
        [
            User(nip="198001012005011001", name="Rudi Hartono", email="r3@x.id", password_hash="x", session_token="t"),
            User(nip="198001012005011002", name="Rudi Hartono", email="r4@x.id", password_hash="x", session_token="u"),
        ]
    )
    db.session.commit()
    handles = list(db.session.scalars(select(User.handle).order_by(User.id)))
    assert (first.handle, second.handle) == ("rudi.hartono", "rudi.hartono2")
    assert sorted(handles) == ["rudi.hartono", "rudi.hartono2", "rudi.hartono3", "rudi.hartono4"]


def _profile(client, **fields):
    user = client.user
    data = {"name": user.name, "email": user.email, "unit_id": str(user.unit_id), "handle": user.handle, **fields}
    return client.post("/akun/profil", data=data)


def test_the_handle_is_edited_on_the_profile_page(member_client):
    assert 'name="handle"' in member_client.get("/akun/profil").get_data(as_text=True)
    response = _profile(member_client, handle="@Rina.Marlina")
    assert response.status_code == 302
    assert db.session.get(User, member_client.user.id).handle == "rina.marlina"
    assert "@rina.marlina" in member_client.get(f"/pegawai/{member_client.user.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("ab", "Nama pengguna harus 3-30 karakter"),
        ("rina marlina", "Nama pengguna harus 3-30 karakter"),
        ("x" * 31, "Nama pengguna harus 3-30 karakter"),
        ("198801012019031001", "Nama pengguna tidak boleh hanya angka."),
        ("taken.handle", "Nama pengguna ini sudah dipakai akun lain."),
    ],
)
def test_bad_handles_are_refused_and_nothing_changes(member_client, make_user, handle, message):
    other = make_user()
    other.handle = "taken.handle"
    db.session.commit()
    before = (member_client.user.handle, member_client.user.name)
    response = _profile(member_client, handle=handle, name="Nama Yang Baru")
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, member_client.user.id)
    assert (user.handle, user.name) == before
