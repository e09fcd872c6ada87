"""Reading a FHIR bundle back as a receiver would: validated by fhir.resources' R4B models, every reference
resolved inside it."""

import json
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B.bundle import Bundle


def references(value: Any) -> Iterator[str]:
    """Every `reference` of every Reference nested in `value`."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "reference" and isinstance(child, str):
                yield child
            else:
                yield from references(child)
    elif isinstance(value, list):
        for child in value:
            yield from references(child)


def read_back(text: str) -> dict[str, Any]:
    """The bundle `text` as JSON, once fhir.resources has parsed it as an R4B collection and every reference
    (and each QuestionnaireResponse's canonical questionnaire) was found inside it."""
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection"
    data: dict[str, Any] = json.loads(text)
    urls = [entry["fullUrl"] for entry in data["entry"]]
    assert len(urls) == len(set(urls)), "two entries share a fullUrl"
    assert all(url.startswith("urn:uuid:") for url in urls)
    dangling = sorted(set(references(data)) - set(urls))
    assert not dangling, f"references that resolve to nothing in the bundle: {dangling}"
    forms = {f"{r['url']}|{r['version']}" for r in of_type(data, "Questionnaire")}
    unknown = [r["questionnaire"] for r in of_type(data, "QuestionnaireResponse") if r["questionnaire"] not in forms]
    assert not unknown, f"answers to questionnaires the bundle does not hold: {unknown}"
    return data


def of_type(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry["resource"] for entry in data["entry"] if entry["resource"]["resourceType"] == kind]


def by_url(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["fullUrl"]: entry["resource"] for entry in data["entry"]}
