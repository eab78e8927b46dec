import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_public(client):
    response = client.get("/")

    assert response.status_code == 200
    assert b"Staff sign-in" in response.content


def test_healthz_answers_without_asking_the_database(client, django_assert_num_queries):
    """Liveness only: /readyz (tests/ops/test_health.py) checks the database."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_staff_pages_need_a_login(client):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_home_page_is_served_in_spanish_to_a_spanish_browser(client):
    response = client.get("/", headers={"accept-language": "es"})

    assert response["Content-Language"] == "es"
