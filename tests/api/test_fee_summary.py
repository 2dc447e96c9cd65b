"""月度小结 收费 (docs/resident-services.md §6.7): the fee section of the printed summary and its sheet
in the workbook, hand-computed from bills paid and waived through the API; the company's summary
ranks projects by rate; another company's summary shows none of it."""

from __future__ import annotations

import re

from sqlalchemy import text

from api.graphql.types.node import to_global_id
from tests.api.test_fee_api import fees, data, billed  # noqa: F401 (a fixture)
from tests.api.test_fee_collection import WAIVE_100, pay
from tests.api.test_monthly_summary import BOOK, PAGE, auth, read_xlsx
from tests.api.test_org_overview import settle

ROW = r"<tr><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>"


async def test_the_fee_section_and_sheet_by_hand(gql, fees, owner_engine, org, other_org, platform, stub_worker, client):  # noqa: F811
    await billed(gql, fees)  # 2025: 20000 + 16000 fen a month, two flats
    await pay(gql, fees, 0, 50000)  # January, February, half of March
    await pay(gql, fees, 1, 16000)  # January
    async with owner_engine.connect() as conn:
        february = to_global_id("Bill", (await conn.execute(text(
            "SELECT id FROM bills WHERE org_id = :o AND period = '2025-02-01' AND amount_fen = 16000"), {"o": org.org_id})).scalar())
    assert data(await gql(WAIVE_100, {"b": february}, token=fees["pm"]), "waiveBill")["errors"] == []
    await settle(platform, stub_worker)
    admin = await gql.login(org)

    page = (await client.get(PAGE, params={"month": "2025-02", "project": fees["p1"]}, headers=auth(admin))).text
    rows = {m[0]: m[1:] for m in re.findall(ROW, page)}
    assert rows["应收 Billed"] == ("360.00", "360.00", "持平 Same", "720.00")
    assert rows["减免 Waived"] == ("1.00", "0.00", "↑1.00", "1.00")
    assert rows["应收（减免后）Due"] == ("359.00", "360.00", "↓1.00", "719.00")
    assert rows["实收 Collected"] == ("200.00", "360.00", "↓160.00", "560.00")
    assert rows["收缴率 Collection rate"] == ("55.7%", "100.0%", "↓44.3个百分点", "77.9%")
    assert rows["当月收缴率 Collected by month end"] == ("0.0%", "0.0%", "持平 Same", "0.0%"), "all paid long after"
    assert rows["户数收缴率 Households paid"] == ("50.0%", "100.0%", "↓50.0个百分点", "75.0%")
    # Every 2025 bill is past due now: 4,320.00 billed − 1.00 waived − 660.00 paid, by age as of today.
    assert "<tr><td>合计 Total</td><td>3,659.00</td></tr>" in page
    ages = re.findall(r"<tr><td>(一个月内|一至三个月|三至六个月|六个月至一年|一年以上)</td><td>([0-9,.]+)</td></tr>", page)
    assert len(ages) == 5 and sum(float(v.replace(",", "")) for _, v in ages) == 3659.0

    company = (await client.get(PAGE, params={"month": "2025-02"}, headers=auth(admin))).text
    assert re.search(r"<tr><td>1</td><td>[^<]*（P1）</td><td>55.7%</td><td>0.0%</td><td>359.00</td><td>200.00</td></tr>", company)

    book = read_xlsx((await client.get(BOOK, params={"month": "2025-02"}, headers=auth(admin))).content)
    sheet = book["收费 Fees"]
    line = next(k[1:] for k, v in sheet.items() if v == "收缴率 Collection rate")
    assert (sheet[f"B{line}"], sheet[f"C{line}"]) == (20000 / 35900, 1.0), "rates are numbers"
    due = next(k[1:] for k, v in sheet.items() if v == "应收（减免后）Due")
    assert (sheet[f"B{due}"], sheet[f"E{due}"]) == (359.0, 719.0)

    # A month without bills of a company with arrears: no rate (not 0), the arrears as they stand.
    quiet = (await client.get(PAGE, params={"month": "2024-06"}, headers=auth(admin))).text
    assert {m[0]: m[1:] for m in re.findall(ROW, quiet)}["收缴率 Collection rate"] == ("—", "—", "—", "—")
    assert "<tr><td>合计 Total</td><td>3,659.00</td></tr>" in quiet
    # A company without fees has no fee section or sheet: its summaries are as before.
    outsider = await gql.login(other_org)
    theirs = await client.get(PAGE, params={"month": "2025-02"}, headers=auth(outsider))
    assert theirs.status_code == 200 and "收费 <small>" not in theirs.text
    assert "收费 Fees" not in read_xlsx((await client.get(BOOK, params={"month": "2025-02"}, headers=auth(outsider))).content)
