from __future__ import annotations

from portal.core.permissions import Role
from portal.units import services as units
from tests.cli.conftest import audit_entries, user_count, users
from tests.conftest import PASSWORD, make_nip

ADMIN_NIP = "198001152005011003"
ADMIN_PASSWORD = "Ombilin-Heritage-19"


def create_admin_args(**overrides) -> list[str]:
    options = {
        "--nip": ADMIN_NIP,
        "--name": "Budi Santoso, S.Kom.",
        "--email": "budi.santoso@sawahluntokota.go.id",
        "--password": ADMIN_PASSWORD,
        **overrides,
    }
    args = ["users", "create-admin"]
    for option, value in options.items():
        if value is not None:
            args += [option, value]
    return args


def test_create_admin_creates_a_verified_admin_who_can_log_in(cli, client, bkpsdm):
    result = cli.invoke(args=create_admin_args())

    assert result.exit_code == 0, result.output
    assert "Admin dibuat: Budi Santoso, S.Kom., NIP 198001152005011003" in result.output
    [admin] = users()
    assert (admin.role, admin.is_verified, admin.active, admin.unit_id) == (Role.ADMIN, True, True, bkpsdm.id)
    assert [entry.actor_id for entry in audit_entries("user.create")] == [None]
    response = client.post("/masuk", data={"identifier": ADMIN_NIP, "password": ADMIN_PASSWORD})
    assert response.status_code == 302


def test_create_admin_accepts_a_unit_by_code(cli, bkpsdm, rsud):
    result = cli.invoke(args=create_admin_args(**{"--unit": "rsud"}))

    assert result.exit_code == 0, result.output
    assert users()[0].unit_id == rsud.id


def test_create_admin_with_a_bad_nip_says_why_and_writes_nothing(cli, bkpsdm):
    result = cli.invoke(args=create_admin_args(**{"--nip": "19800115200501100"}))

    assert result.exit_code == 1
    assert "NIP harus 18 digit (Anda memasukkan 17 digit)." in result.output
    assert user_count() == 0


def test_create_admin_with_a_weak_password_writes_nothing(cli, bkpsdm):
    result = cli.invoke(args=create_admin_args(**{"--password": "pendek1"}))

    assert result.exit_code == 1
    assert "Kata sandi minimal 10 karakter." in result.output
    assert user_count() == 0


def test_create_admin_with_an_unknown_unit_writes_nothing(cli, bkpsdm):
    result = cli.invoke(args=create_admin_args(**{"--unit": "DINAS-ENTAH"}))

    assert result.exit_code == 1
    assert "Unit kerja “DINAS-ENTAH” tidak dikenal" in result.output
    assert user_count() == 0


def test_create_admin_on_an_empty_database_loads_the_units_first(cli):
    result = cli.invoke(args=create_admin_args())

    assert result.exit_code == 0, result.output
    assert "daftar OPD Kota Sawahlunto dimuat (31 unit)" in result.output
    assert users()[0].unit.code == "BKPSDM"
    assert len(units.list_active()) == 31


def test_create_admin_without_a_terminal_refuses_missing_options(cli, bkpsdm):
    result = cli.invoke(args=create_admin_args(**{"--name": None}))

    assert result.exit_code == 1
    assert "Opsi --name wajib diisi." in result.output
    assert user_count() == 0


def test_create_admin_in_a_terminal_asks_for_missing_options(cli, bkpsdm, monkeypatch):
    monkeypatch.setattr("portal.accounts.cli._is_interactive", lambda: True)
    answers = f"{ADMIN_NIP}\nBudi Santoso\nbudi@sawahluntokota.go.id\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n"

    result = cli.invoke(args=["users", "create-admin"], input=answers)

    assert result.exit_code == 0, result.output
    assert "Kata sandi" in result.output
    assert ADMIN_PASSWORD not in result.output  # typed hidden
    assert users()[0].email == "budi@sawahluntokota.go.id"


def test_create_admin_on_an_existing_nip_promotes_that_account(cli, make_user):
    member = make_user(Role.MEMBER, is_verified=False, name="Siti Aminah")

    result = cli.invoke(args=["users", "create-admin", "--nip", member.nip])

    assert result.exit_code == 0, result.output
    assert f"NIP {member.nip} sudah terdaftar atas nama Siti Aminah" in result.output
    assert "dijadikan admin" in result.output
    assert "diverifikasi dan diaktifkan" in result.output
    [promoted] = users()
    assert (promoted.role, promoted.is_verified, promoted.name) == (Role.ADMIN, True, "Siti Aminah")
    assert [(e.details["old"], e.details["new"]) for e in audit_entries("user.role")] == [("member", "admin")]


def test_create_admin_on_an_existing_nip_sets_the_given_password(cli, client, make_user):
    member = make_user(Role.MEMBER)

    result = cli.invoke(args=["users", "create-admin", "--nip", member.nip, "--password", ADMIN_PASSWORD])

    assert result.exit_code == 0, result.output
    assert "Kata sandinya diganti" in result.output
    assert client.post("/masuk", data={"identifier": member.nip, "password": PASSWORD}).status_code == 200
    assert client.post("/masuk", data={"identifier": member.nip, "password": ADMIN_PASSWORD}).status_code == 302


def test_create_admin_on_an_existing_admin_changes_nothing(cli, make_user):
    admin = make_user(Role.ADMIN)

    result = cli.invoke(args=["users", "create-admin", "--nip", admin.nip])

    assert result.exit_code == 0
    assert "sudah admin; tidak ada yang diubah" in result.output
    assert audit_entries() == []


def test_create_admin_never_duplicates_an_existing_nip_written_with_spaces(cli, make_user):
    nip = make_nip()
    make_user(Role.MEMBER, nip=nip)
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"

    result = cli.invoke(args=create_admin_args(**{"--nip": spaced}))

    assert result.exit_code == 0, result.output
    assert [(u.nip, u.role) for u in users()] == [(nip, Role.ADMIN)]
