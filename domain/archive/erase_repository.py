"""What erasing a resident writes (docs/archive.md §3, 删除), inside the caller's tenant wall: their
record anonymised, their stays closed, their contacts, vehicles and pets gone (a space they held
freed), and every copy of their name or numbers that others wrote down — in the cases they
reported and what grew from those cases — rewritten to *** by one regular expression (domain/archive/erasure.py). Rows the
application role may only append to (audit notes, outbox payloads, delivery receipts of replies,
referral updates, delivery attempts; the resident's own audit rows, whose reasons staff may have written their name
into) go through the SECURITY DEFINER `erase_copies` (migrations 0028, 0029)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from domain.archive.model import Resident
from domain.unit_of_work import UnitOfWork

_CASES = text("SELECT id FROM cases WHERE org_id = :o AND project_id = :p AND reporter_resident_id = :r")
# Their repeat-complainant alert, and any alert that lists one of their cases (a risk word quotes it).
_ALERTS = text("SELECT id FROM alerts WHERE org_id = :o AND project_id = :p "
               "AND (scope_key = :scope OR case_ids && CAST(:cases AS uuid[]))")
_CONTACTS = text("SELECT value_enc FROM resident_contacts WHERE org_id = :o AND project_id = :p AND resident_id = :r")

_ANONYMISE = text(
    "UPDATE residents SET name = :name, kind = :kind, phone_enc = NULL, phone_hash = NULL, phone_masked = NULL, "
    "id_kind = NULL, id_number_enc = NULL, id_number_hash = NULL, id_number_masked = NULL, note = '', verified_at = NULL, "
    "erased_at = :erased_at, erased_by = :erased_by, updated_at = now() WHERE org_id = :o AND id = :r")
# Vehicles before the spaces are freed; contacts, vehicles and pets are theirs alone.
_BELONGINGS = (
    text("DELETE FROM resident_contacts WHERE org_id = :o AND project_id = :p AND resident_id = :r"),
    text("DELETE FROM vehicles WHERE org_id = :o AND project_id = :p AND resident_id = :r"),
    text("DELETE FROM pets WHERE org_id = :o AND project_id = :p AND resident_id = :r"),
    # The WeChat identities an owner app bound (docs/resident-services.md §3): erased, they sign in nobody.
    text("DELETE FROM resident_identities WHERE org_id = :o AND project_id = :p AND resident_id = :r"),
    text("UPDATE parking_spaces SET holder_id = NULL, updated_at = now() "
         "WHERE org_id = :o AND project_id = :p AND holder_id = :r"),
)

# Erased, they live nowhere any more: their open stays close on the erasure's day (Beijing), the
# rows kept as the flats' history of an anonymous id. A stay entered ahead of its first day closes
# on that day (the table's CHECK: out >= in).
_CLOSE_STAYS = text(
    "UPDATE occupancies SET moved_out_on = greatest(moved_in_on, :day), updated_at = now() "
    "WHERE org_id = :o AND project_id = :p AND resident_id = :r AND moved_out_on IS NULL")

_M = ":mask"


def _re(column: str) -> str:
    return f"{column} = regexp_replace({column}, :pat, {_M}, 'g')"


def _re_json(column: str) -> str:
    """The document's string values only (migration 0029): its keys and punctuation stay."""
    return f"{column} = erase_json({column}, :pat, :mask)"


# The events about their cases and alerts: notifications and channel deliveries copied them.
# The first half walks the index outbox_case; the second reads only the project's alert events.
_THEIR_EVENTS = ("SELECT id FROM outbox WHERE org_id = :o AND payload ->> 'case_id' = ANY (CAST(:case_texts AS text[])) "
                 "UNION ALL SELECT id FROM outbox WHERE org_id = :o AND project_id = :p AND topic LIKE 'alert.%' "
                 "AND payload ->> 'alert_id' = ANY (CAST(:alert_texts AS text[]))")
_COPIES = (
    text(f"UPDATE cases SET {_re('description')} WHERE org_id = :o AND project_id = :p AND id = ANY (:cases) "
         "AND description ~ :pat"),
    text(f"UPDATE written_replies SET {_re('reason')}, {_re('basis')}, alternatives = ARRAY("
         f"  SELECT regexp_replace(a, :pat, {_M}, 'g') FROM unnest(alternatives) WITH ORDINALITY AS x(a, n) ORDER BY n) "
         "WHERE org_id = :o AND project_id = :p AND case_id = ANY (:cases) "
         "AND (reason ~ :pat OR basis ~ :pat OR array_to_string(alternatives, ' ') ~ :pat)"),
    text(f"UPDATE alerts SET {_re('title')}, {_re('detail')}, "
         f"resolution_note = regexp_replace(resolution_note, :pat, {_M}, 'g') "
         "WHERE org_id = :o AND project_id = :p AND id = ANY (:alerts) "
         "AND (title ~ :pat OR detail ~ :pat OR resolution_note ~ :pat)"),
    text(f"UPDATE notifications SET {_re('title')}, {_re('body')} WHERE org_id = :o "
         f"AND (case_id = ANY (:cases) OR event_id IN ({_THEIR_EVENTS})) AND (title ~ :pat OR body ~ :pat)"),
    # last_error: the receiver's answer, which may quote the event it refused.
    text(f"UPDATE deliveries SET {_re('title')}, {_re('body')}, {_re_json('data')}, "
         f"last_error = regexp_replace(last_error, :pat, {_M}, 'g') WHERE org_id = :o AND project_id = :p "
         f"AND (event_id IN ({_THEIR_EVENTS}) "
         "  OR ref_id IN (SELECT id FROM referrals WHERE org_id = :o AND case_id = ANY (:cases)) "
         "  OR ref_id IN (SELECT id FROM gov_orders WHERE org_id = :o AND case_id = ANY (:cases))) "
         "AND (title ~ :pat OR body ~ :pat OR CAST(data AS text) ~ :pat OR last_error ~ :pat)"),
    text(f"UPDATE referrals SET {_re('reason')}, {_re('requested_action')}, "
         f"outcome = regexp_replace(outcome, :pat, {_M}, 'g') WHERE org_id = :o AND project_id = :p "
         "AND case_id = ANY (:cases) AND (reason ~ :pat OR requested_action ~ :pat OR outcome ~ :pat)"),
    # A 12345 order they called in: its requester's phone goes with their name.
    text("UPDATE gov_orders SET requester_phone_enc = CASE WHEN requester_name ~ :pat THEN NULL ELSE requester_phone_enc END, "
         "requester_phone_masked = CASE WHEN requester_name ~ :pat THEN NULL ELSE requester_phone_masked END, "
         f"{_re('content')}, address = regexp_replace(address, :pat, {_M}, 'g'), "
         f"requester_name = regexp_replace(requester_name, :pat, {_M}, 'g'), "
         f"result = regexp_replace(result, :pat, {_M}, 'g'), returned_reason = regexp_replace(returned_reason, :pat, {_M}, 'g') "
         "WHERE org_id = :o AND project_id = :p AND case_id = ANY (:cases) AND (content ~ :pat OR address ~ :pat "
         "OR requester_name ~ :pat OR result ~ :pat OR returned_reason ~ :pat)"),
    text(f"UPDATE case_reviews SET {_re('root_cause')}, {_re('lessons')}, {_re('corrective_actions')} "
         "WHERE org_id = :o AND project_id = :p AND case_id = ANY (:cases) "
         "AND (root_cause ~ :pat OR lessons ~ :pat OR corrective_actions ~ :pat)"),
    text("SELECT erase_copies(:p, :r, CAST(:cases AS uuid[]), CAST(:alerts AS uuid[]), :pat, :mask)"),
)


class ErasureRepository:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._org = uow.org_id

    async def _rows(self, stmt: Any, **params: Any) -> list[Any]:
        return list((await self._uow.conn.execute(stmt, {"o": self._org, **params})).all())

    async def _run(self, stmt: Any, **params: Any) -> None:
        await self._uow.conn.execute(stmt, {"o": self._org, **params})

    async def contact_values(self, r: Resident) -> list[bytes]:
        """Their contacts' sealed values, to look for in what others wrote before they go."""
        return [bytes(row.value_enc) for row in await self._rows(_CONTACTS, p=r.project_id, r=r.id)]

    async def anonymise(self, r: Resident, day: date) -> None:
        """`day`: the erasure's day in Beijing, when their stays end."""
        params = {"p": r.project_id, "r": r.id}
        await self._run(_ANONYMISE, name=r.name, kind=r.kind.value, erased_at=r.erased_at, erased_by=r.erased_by, **params)
        for stmt in _BELONGINGS:
            await self._run(stmt, **params)
        await self._run(_CLOSE_STAYS, day=day, **params)

    async def rewrite_copies(self, r: Resident, pattern: str, mask: str) -> None:
        """Every copy in the cases they reported and what grew from them; the cases themselves,
        their numbers, states and clocks stay as they are."""
        cases = [row.id for row in await self._rows(_CASES, p=r.project_id, r=r.id)]
        alerts = [row.id for row in await self._rows(_ALERTS, p=r.project_id, scope=f"resident:{r.id}", cases=cases)]
        params = {"p": r.project_id, "r": r.id, "pat": pattern, "mask": mask, "cases": cases, "alerts": alerts,
                  "case_texts": [str(c) for c in cases], "alert_texts": [str(a) for a in alerts]}
        for stmt in _COPIES:
            await self._run(stmt, **params)
