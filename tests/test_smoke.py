def test_it_serves_the_home_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Prior authorization" in response.content
