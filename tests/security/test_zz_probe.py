import pytest


@pytest.mark.django_db
def test_a(world, clients):
    c = clients["staff"]
    print("\nsess before", c.cookies.get("sessionid").value)
    r = c.get("/admin/pages/add/x/x/1/")
    print(
        "\nA", r.status_code, r.get("Location"), dict(c.session), c.cookies.get("sessionid").value
    )
    from django.contrib.sessions.models import Session

    print([(s.session_key, s.get_decoded()) for s in Session.objects.all()])
