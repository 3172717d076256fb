"""The OpenAPI schema and the interactive docs, served without any outside host."""

import re

import pytest

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/lots"),
    ("get", "/api/v1/lots/{lot_id}"),
    ("get", "/api/v1/lots/{lot_id}/bids"),
    ("post", "/api/v1/lots/{lot_id}/bids"),
    ("get", "/api/v1/goal"),
}


def test_the_schema_is_json_listing_the_five_operations(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    listed = {
        (method, path) for path, operations in schema["paths"].items() for method in operations
    }
    assert listed == OPERATIONS


def test_the_schema_describes_the_bid_body_as_a_string_and_both_ways_to_authenticate(client):
    schema = client.get("/api/v1/openapi.json").json()

    amount = schema["components"]["schemas"]["BidIn"]["properties"]["max_amount"]
    assert amount["type"] == "string"
    schemes = schema["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}
    post = schema["paths"]["/api/v1/lots/{lot_id}/bids"]["post"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in post["parameters"]}


def test_the_list_bounds_limit_and_offset_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()

    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/lots"]["get"]["parameters"]
    }
    assert parameters["limit"]["maximum"] == 100
    assert "maximum" in parameters["offset"]


def test_the_docs_page_loads_swagger_from_this_site_only(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="swagger-ui"' in page
    assert re.findall(r"https?://", page) == []
    assets = re.findall(r'(?:src|href)="(/api/v1/docs/assets/[^"]+)"', page)
    assert len(assets) == 4
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert "immutable" in served["Cache-Control"]
        served.close()


def test_swagger_is_told_not_to_call_the_outside_validator(client):
    page = client.get("/api/v1/docs").content.decode()

    assert '"validatorUrl": null' in page


def test_only_the_docs_files_are_served(client):
    response = client.get("/api/v1/docs/assets/1/../../settings.py")

    assert response.status_code == 404
    assert client.get("/api/v1/docs/assets/1/redoc.standalone.js").status_code == 404
