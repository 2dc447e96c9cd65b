"""A resident token outlives a move-out or an erasure by up to its fifteen minutes. What they see
follows their stays on the next statement; what they register must too: a resident who has moved
out of every flat, or was erased, registers no case — not even one for a public area."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.api._resident import make_company, register, token_for

_GONE = {
    "moved_out": "UPDATE occupancies SET moved_out_on = CURRENT_DATE WHERE resident_id = :r",
    "erased": "UPDATE residents SET erased_at = now(), name = '已删除住户' WHERE id = :r; "
              "UPDATE occupancies SET moved_out_on = CURRENT_DATE WHERE resident_id = :r",
}


@pytest.mark.parametrize("how", list(_GONE))
async def test_a_resident_who_is_gone_registers_no_case(gql, owner_engine, platform, how):
    company = await make_company(owner_engine, gql, platform.cipher)
    token = await token_for(gql, company)
    zhang = company.residents["zhang"]
    async with owner_engine.begin() as conn:
        for sql in _GONE[how].split("; "):
            await conn.execute(text(sql), {"r": zhang})
    out = await register(gql, token, None, publicArea="3号楼电梯")
    assert out["case"] is None and out["errors"][0]["code"] == "NOT_FOUND", out
    assert out["errors"][0]["reason"] == "NO_RESIDENT"
    async with owner_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM cases WHERE reporter_resident_id = :r"), {"r": zhang})).scalar() == 0


async def test_a_resident_still_living_somewhere_registers_for_a_public_area(gql, owner_engine, platform):
    company = await make_company(owner_engine, gql, platform.cipher)
    out = await register(gql, await token_for(gql, company), None, publicArea="3号楼电梯")
    assert out["errors"] == [] and out["case"]["unit"] is None
