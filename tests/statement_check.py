"""Which statements name their company: the pure-text half of the statement log.

Citus routes a statement to one shard only when it names the distribution column, org_id; row-level
security alone (a policy comparing org_id with a session setting) is invisible to its planner, so
such a statement fans out to every shard. A statement passes when it reads or writes no tenant
relation (one with an org_id column), or when org_id is given a value: compared with a parameter
or literal (`org_id = :org`, `= ANY(:orgs)`, `IN (...)`, a row comparison led by it), or written
as an INSERT's column. A join on org_id alone does not pass: it keeps the joined rows on one
shard, but names no shard to go to."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

_QUOTED = re.compile(r"'(?:[^']|'')*'")
_PARAM = re.compile(r"\$\d+|(?<![:\w]):[a-z_][a-z0-9_]*|%\([a-z_0-9]+\)s|%s", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.$])\d+(?:\.\d+)?(?![\w])")
_LIST = re.compile(r"\(\s*\?(?:\s*,\s*\?)+\s*\)")
_ROWS = re.compile(r"(\(\?\))(?:\s*,\s*\(\?\))+")
_SPACE = re.compile(r"\s+")
_COMMENT = re.compile(r"--[^\n]*")


def normalise(sql: str) -> str:
    """One text per statement shape: comments and runs of white space go, and literals, bound
    parameters and lists of them become `?`, so a list of three and one of thirty read the same."""
    s = _COMMENT.sub(" ", sql)
    s = _QUOTED.sub("?", s)
    s = _PARAM.sub("?", s)
    s = _NUMBER.sub("?", s)
    s = _SPACE.sub(" ", s).strip().rstrip(";").strip()
    s = _LIST.sub("(?)", s)
    s = _ROWS.sub(r"\1", s)
    return s


def fingerprint(normalised: str) -> str:
    """Stable and short, for the ratchet file: any change to a statement's text gives a new one."""
    return hashlib.sha1(normalised.encode()).hexdigest()[:12]


_IDENT = r'"?[A-Za-z_][A-Za-z0-9_]*"?'
# A relation named after FROM / JOIN / UPDATE / INTO / USING / TABLE (schema prefix allowed), and
# the further relations of a comma list after FROM ("FROM a x, b y").
_RELATION = re.compile(
    rf"\b(?:FROM|JOIN|UPDATE|INTO|USING|TABLE)\s+(?:ONLY\s+)?(?:{_IDENT}\.)?({_IDENT})", re.IGNORECASE)
_COMMA_RELATION = re.compile(
    rf"\bFROM\s+(?:{_IDENT}\.)?{_IDENT}(?:\s+(?:AS\s+)?{_IDENT})?((?:\s*,\s*(?:{_IDENT}\.)?{_IDENT}(?:\s+(?:AS\s+)?{_IDENT})?)+)",
    re.IGNORECASE)
_COMMA_ITEM = re.compile(rf",\s*(?:{_IDENT}\.)?({_IDENT})", re.IGNORECASE)

_ORG = r"(?:\b[A-Za-z_][A-Za-z0-9_]*\.)?\borg_id\b"
_VALUE = r"(?:\(\s*)*(?:CAST\s*\(\s*)?\?"  # a parameter or literal, after normalise()
_CONSTRAINING = [
    re.compile(rf"{_ORG}\s*(?:=|\bIS\s+NOT\s+DISTINCT\s+FROM\b)\s*(?:ANY\s*)?{_VALUE}", re.IGNORECASE),
    re.compile(rf"{_ORG}\s*\bIN\s*{_VALUE}", re.IGNORECASE),
    re.compile(rf"\?(?:\s*::\s*\w+)?\s*=\s*{_ORG}", re.IGNORECASE),
    # (org_id, id) IN (...) / = (...): a row comparison that leads with the company
    re.compile(rf"\(\s*{_ORG}\s*,[^()]*\)\s*(?:=|\bIN\b)\s*(?:\(\s*(?:VALUES\s*)?)*\?", re.IGNORECASE),

]
# INSERT INTO t (org_id, ...) and INSERT INTO t (..., org_id, ...): the rest is what it inserts
_INSERT_ORG = re.compile(rf"\bINSERT\s+INTO\s+(?:{_IDENT}\.)?{_IDENT}\s*\([^()]*\borg_id\b[^()]*\)(.*)",
                         re.IGNORECASE | re.DOTALL)


_INSERT_START = re.compile(r"(?=\bINSERT\s+INTO\b)", re.IGNORECASE)


def relations(sql: str) -> set[str]:
    found = {m.group(1).strip('"').lower() for m in _RELATION.finditer(sql)}
    for m in _COMMA_RELATION.finditer(sql):
        found |= {i.group(1).strip('"').lower() for i in _COMMA_ITEM.finditer(m.group(1))}
    return found


def tenant_relations(sql: str, tenant_tables: Collection[str]) -> set[str]:
    """The tenant relations a statement reads or writes."""
    return relations(sql) & set(tenant_tables)


def names_org(sql: str) -> bool:
    sql = normalise(sql)  # values read as `?`; normalising twice changes nothing
    return any(p.search(sql) for p in _CONSTRAINING)


def lacks_org(sql: str, tenant_tables: Collection[str]) -> bool:
    """True when the statement touches a tenant relation and nowhere gives org_id a value. An
    INSERT that writes org_id passes when what it inserts reads no tenant relation (VALUES, or a
    SELECT of parameters); an INSERT … SELECT from tenant tables must name the company there."""
    if not tenant_relations(sql, tenant_tables) or names_org(sql):
        return False
    # Several INSERTs in one statement (a data-modifying WITH): each must write org_id from what
    # reads no tenant relation, and what comes before the first must read none either.
    head, *inserts = _INSERT_START.split(sql)
    if not inserts or tenant_relations(head, tenant_tables):
        return True
    for part in inserts:
        insert = _INSERT_ORG.match(part)
        if insert is None or tenant_relations(insert.group(1), tenant_tables):
            return True
    return False


@dataclass(frozen=True)
class Listed:
    fingerprint: str
    area: str
    reason: str


def read_ratchet(path: Path) -> dict[str, Listed]:
    """`fingerprint  area  reason…` per line, or `file:<path>  area  reason…` for a file whose
    statements are not audited yet (each is tolerated); `#` starts a comment line."""
    listed: dict[str, Listed] = {}
    if not path.exists():
        return listed
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        fp = parts[0]
        listed[fp] = Listed(fp, parts[1] if len(parts) > 1 else "?", parts[2] if len(parts) > 2 else "")
    return listed


@dataclass(frozen=True)
class Verdict:
    seen: int
    lacking: dict[str, str]  # fingerprint -> normalised text, every statement without org_id
    unlisted: dict[str, str]  # those of them not in the ratchet file
    stale: list[str]  # ratchet entries whose statement was not seen lacking org_id


def _tolerated(origin: str, listed: Collection[str]) -> bool:
    """A `file:<path>` line names the file the statement was sent from, or a folder (`file:tests/`)
    that holds it."""
    path = origin.rsplit(":", 1)[0]
    return "file:" + path in listed or any(f"file:{path}".startswith(e) for e in listed if e.endswith("/"))


def judge(statements: Mapping[str, str] | Iterable[str], tenant_tables: Collection[str],
          listed: Collection[str]) -> Verdict:
    """`statements` are normalised texts, or a mapping of them to where they were sent from
    (`path:line`), which a `file:<path>` entry matches (or `file:<folder>/`). Stale entries are only a warning: a run
    of a few test files does not see every statement (and `file:` entries are never stale)."""
    origins: Mapping[str, str] = statements if isinstance(statements, Mapping) else dict.fromkeys(statements, "?")
    lacking = {fingerprint(s): s for s in origins if lacks_org(s, tenant_tables)}
    unlisted = {fp: s for fp, s in lacking.items() if fp not in listed and not _tolerated(origins[s], listed)}
    stale = sorted(fp for fp in listed if fp not in lacking and not fp.startswith("file:"))
    return Verdict(len(origins), lacking, unlisted, stale)
