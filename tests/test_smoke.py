def test_home_renders_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Portal Kompetensi ASN" in response.get_data(as_text=True)


def test_member_can_log_in_and_see_profile(member_client):
    response = member_client.get(f"/pegawai/{member_client.user.id}")
    assert response.status_code == 200
    assert member_client.user.nip in response.get_data(as_text=True)
