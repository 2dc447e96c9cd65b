"""docs/owner-app.md cannot rot: every GraphQL document in it — each ```graphql block and each query
its shell examples send — parses and validates against the schema the server runs and against the
printed docs/schema.graphql (field and argument names, enum values, variables). Nothing is executed."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_schema, parse, validate

from api.graphql.schema import schema

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = (DOCS / "owner-app.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```graphql\n(.*?)```", GUIDE, re.S)
# In the shell examples the documents are single-quoted arguments of `gql`, or JSON strings.
SHELL = [m for block in re.findall(r"```sh\n(.*?)```", GUIDE, re.S)
         for m in re.findall(r"'((?:query|mutation)\b[^']*|\{ *resident[^']*)'", block)]
SHELL_JSON = [json.loads(f'"{m}"') for block in re.findall(r"```sh\n(.*?)```", GUIDE, re.S)
              for m in re.findall(r'"query": ?"((?:[^"\\]|\\.)*)"', block)]
DOCUMENTS = BLOCKS + SHELL + SHELL_JSON


@cache
def _printed() -> GraphQLSchema:
    return build_schema((DOCS / "schema.graphql").read_text(encoding="utf-8"))


def _errors(target: GraphQLSchema, document: str) -> list[str]:
    return [e.message for e in validate(target, parse(document))]


def test_the_guide_has_its_documents():
    # Sign-in, the case calls, notices, bills, paying, reminders, surveys; and the worked example's.
    assert len(BLOCKS) >= 12 and len(SHELL) + len(SHELL_JSON) >= 10
    names = " ".join(DOCUMENTS)
    for call in ("residentSignIn", "residentRegisterCase", "residentConfirmCase", "residentRateCase", "residentMarkNoticeRead",
                 "residentAnswerSurvey", "account(", "bills(", "payments(", "reminders(", "surveys(", "notices(",
                 "addPaymentIntegration", "unitAccount"):
        assert call in names, call


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: " ".join(d.split())[:60])
def test_each_document_validates_against_the_running_schema(document):
    assert _errors(schema._schema, document) == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: " ".join(d.split())[:60])
def test_each_document_validates_against_the_printed_schema(document):
    assert _errors(_printed(), document) == []


def test_a_wrong_name_is_caught():
    # The check itself: a misspelt field, argument or enum value fails.
    for wrong in ("{ residentSelf { bill { id } } }", "{ residentSelf { bills(unit: \"x\") { totalCount } } }",
                  "{ residentSelf { bills(state: UNPAID) { totalCount } } }"):
        assert _errors(schema._schema, wrong)
