"""The statement log's classifier: a statement on a tenant table must name org_id."""

from __future__ import annotations

from pathlib import Path

from tests.statement_check import fingerprint, judge, lacks_org, normalise, read_ratchet, relations

TENANT = {"cases", "case_targets", "users", "projects", "role_assignments"}


def test_a_tenant_read_by_id_alone_is_flagged() -> None:
    assert lacks_org("SELECT project_id FROM cases WHERE id = $1", TENANT)
    assert lacks_org("UPDATE case_targets SET met_at = $1 WHERE case_id = $2", TENANT)
    assert lacks_org("DELETE FROM cases WHERE id = ANY($1)", TENANT)


def test_org_id_only_in_the_select_list_does_not_count() -> None:
    assert lacks_org("SELECT org_id, id FROM cases WHERE id = $1 FOR UPDATE", TENANT)


def test_a_join_on_org_id_alone_names_no_company() -> None:
    assert lacks_org("SELECT u.id FROM users u JOIN role_assignments r ON r.org_id = u.org_id WHERE u.id = $1", TENANT)
    assert lacks_org("SELECT 1 FROM cases JOIN users USING (org_id, id)", TENANT)


def test_a_value_given_to_org_id_or_an_insert_column_passes() -> None:
    assert not lacks_org("SELECT project_id FROM cases WHERE org_id = $1 AND id = $2", TENANT)
    assert not lacks_org("SELECT project_id FROM cases WHERE org_id = :org AND id = :c", TENANT)
    assert not lacks_org("SELECT c.id FROM cases c WHERE c.org_id = ANY($1)", TENANT)
    assert not lacks_org("SELECT c.id FROM cases c WHERE c.org_id = CAST($1 AS uuid)", TENANT)
    assert not lacks_org("SELECT c.id FROM cases c WHERE $1::uuid = c.org_id", TENANT)
    assert not lacks_org("SELECT u.id FROM users u JOIN role_assignments r ON r.org_id = u.org_id WHERE u.org_id = $1", TENANT)
    assert not lacks_org("SELECT 1 FROM cases WHERE (org_id, id) IN (($1, $2))", TENANT)
    assert not lacks_org("INSERT INTO cases (org_id, id, state) VALUES ($1, $2, $3)", TENANT)
    assert not lacks_org("INSERT INTO users (org_id, id) SELECT $1, x FROM unnest($2) AS x ON CONFLICT DO NOTHING", TENANT)


def test_an_insert_select_from_tenant_tables_must_name_the_company_in_its_select() -> None:
    assert lacks_org("INSERT INTO users (org_id, id) SELECT c.org_id, c.id FROM cases c WHERE c.project_id = $1", TENANT)
    assert not lacks_org("INSERT INTO users (org_id, id) SELECT c.org_id, c.id FROM cases c WHERE c.org_id = $1", TENANT)


def test_each_insert_of_a_data_modifying_with_must_write_org_id_from_no_tenant_relation() -> None:
    two = ("WITH a AS (INSERT INTO users (org_id, id) SELECT $1, x FROM unnest($2) AS x) "
           "INSERT INTO cases (org_id, id) SELECT $1, y FROM unnest($3) AS y")
    assert not lacks_org(two, TENANT)
    assert lacks_org("WITH a AS (INSERT INTO users (org_id, id) SELECT $1, x FROM unnest($2) AS x) "
                     "INSERT INTO cases (id) SELECT y FROM unnest($3) AS y", TENANT)
    assert lacks_org("WITH a AS (INSERT INTO users (org_id, id) SELECT $1, x FROM unnest($2) AS x) "
                     "INSERT INTO cases (org_id, id) SELECT u.org_id, u.id FROM users u", TENANT)
    assert lacks_org("WITH a AS (SELECT id FROM cases WHERE number = $2) INSERT INTO users (org_id, id) SELECT $1, id FROM a", TENANT)


def test_a_statement_on_no_tenant_table_passes() -> None:
    assert not lacks_org("SELECT id FROM organizations WHERE slug = $1", TENANT)
    assert not lacks_org("SELECT 1", TENANT)
    assert not lacks_org("SELECT extract(epoch FROM now())", TENANT)


def test_relations_are_read_after_from_join_update_into_and_in_comma_lists() -> None:
    sql = "SELECT 1 FROM cases c, users AS u JOIN projects p ON true WHERE EXISTS (SELECT 1 FROM public.case_targets)"
    assert relations(sql) >= {"cases", "users", "projects", "case_targets"}
    assert relations("UPDATE ONLY cases SET x = 1") == {"cases"}


def test_normalising_folds_space_literals_parameters_and_lists() -> None:
    a = normalise("SELECT *\n  FROM cases WHERE id IN (1, 2, 3) AND note = 'x''y'  -- why\n AND p = :p")
    b = normalise("SELECT * FROM cases WHERE id IN (7) AND note = 'z' AND p = $1;")
    assert a == b == "SELECT * FROM cases WHERE id IN (?) AND note = ? AND p = ?"
    assert normalise("SELECT x::uuid") == "SELECT x::uuid"
    assert normalise("INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)") == normalise("INSERT INTO t (a, b) VALUES ($1, $2)")


def test_judge_reports_unlisted_and_stale(tmp_path: Path) -> None:
    bad, listed_bad = "SELECT id FROM users WHERE id = ?", "SELECT id FROM projects WHERE id = ?"
    ratchet = tmp_path / "r.txt"
    ratchet.write_text(f"# comment\n{fingerprint(listed_bad)} domain/x reason here\n000000000000 gone old entry\n")
    listed = read_ratchet(ratchet)
    v = judge([bad, listed_bad, "SELECT id FROM cases WHERE org_id = ?"], TENANT, listed)
    assert v.seen == 3
    assert set(v.lacking.values()) == {bad, listed_bad}
    assert list(v.unlisted.values()) == [bad]
    assert v.stale == ["000000000000"]
    assert listed[fingerprint(listed_bad)].reason == "reason here"


def test_a_file_entry_tolerates_the_statements_sent_from_that_file(tmp_path: Path) -> None:
    ratchet = tmp_path / "r.txt"
    ratchet.write_text("file:domain/old.py domain not audited yet\n")
    bad = "SELECT id FROM users WHERE id = ?"
    listed = read_ratchet(ratchet)
    assert judge({bad: "domain/old.py:12"}, TENANT, listed).unlisted == {}
    assert list(judge({bad: "domain/new.py:3"}, TENANT, listed).unlisted.values()) == [bad]
    assert judge({bad: "domain/new.py:3"}, TENANT, listed).stale == []


def test_a_folder_entry_tolerates_the_statements_sent_from_files_under_it(tmp_path: Path) -> None:
    ratchet = tmp_path / "r.txt"
    ratchet.write_text("file:tests/ tests the tests' own probes of the wall\n")
    bad = "SELECT count(*) FROM users"
    listed = read_ratchet(ratchet)
    assert judge({bad: "tests/integration/test_rls.py:60"}, TENANT, listed).unlisted == {}
    assert list(judge({bad: "domain/tests_helper.py:3"}, TENANT, listed).unlisted.values()) == [bad]
