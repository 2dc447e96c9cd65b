// 账单 A project's bills by month, state, building and item, fifty a page: each flat's amount,
// waived, paid and outstanding, overdue ones marked in words (逾期), not colour alone.
import { Button, DatePicker, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useQuery } from "../../api/useQuery";
import type { BillState, FeeBillFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner } from "../../ui/states";
import { month, yuan } from "./money";
import { BillsDoc, ChargeItemsDoc, FeeBuildingsDoc } from "./queries";

export const BILL_STATES: { value: BillState; zh: string; en: string }[] = [
  { value: "OPEN", zh: "未缴", en: "Open" }, { value: "PAID", zh: "已缴", en: "Paid" },
  { value: "WAIVED", zh: "已减免", en: "Waived" }, { value: "CANCELLED", zh: "已作废", en: "Cancelled" },
];

export function billColumns(t: (zh: string, en: string) => string, withFlat: boolean): ColumnsType<FeeBillFragment> {
  const all: ColumnsType<FeeBillFragment> = [
    ...(withFlat ? [{ title: <L zh="房屋" en="Flat" />, key: "u", width: 150, render: (_: unknown, b: FeeBillFragment) => b.unit?.label ?? "" }] : []),
    { title: <L zh="项目" en="Item" />, key: "i", width: 90, render: (_, b) => b.chargeItem?.name ?? "" },
    { title: <L zh="账期" en="Month" />, key: "p", width: 76, render: (_, b) => <span className="fc-num">{month(b.period)}</span> },
    { title: <L zh="应缴日" en="Due" />, dataIndex: "dueOn", width: 100, render: (d: string) => <span className="fc-num" style={{ whiteSpace: "nowrap" }}>{d}</span> },
    { title: <L zh="金额" en="Amount" />, key: "a", width: 86, align: "right", render: (_, b) => <span className="fc-num">{yuan(b.amount)}</span> },
    { title: <L zh="已缴" en="Paid" />, key: "pd", width: 86, align: "right", render: (_, b) => <span className="fc-num">{yuan(b.paid)}</span> },
    { title: <L zh="减免" en="Waived" />, key: "w", width: 76, align: "right", render: (_, b) => <span className="fc-num">{Number(b.waived) ? yuan(b.waived) : ""}</span> },
    { title: <L zh="未缴" en="Owed" />, key: "o", width: 86, align: "right", render: (_, b) => <b className="fc-num">{yuan(b.outstanding)}</b> },
    { title: <L zh="状态" en="State" />, key: "s", width: 110,
      render: (_, b) => <span><Tag>{b.stateLabel}</Tag>{b.overdue && <Tag>{t("逾期", "Overdue")}</Tag>}</span> },
  ];
  // Beside the payment form the open bills keep to what the cashier reads: item, month, due, amount, owed, overdue.
  return withFlat ? all : all.filter((c) => !["pd", "w"].includes(String(c.key)))
    .map((c) => (c.key === "s" ? { ...c, width: 64, render: (_: unknown, b: FeeBillFragment) => (b.overdue ? <Tag>{t("逾期", "Overdue")}</Tag> : null) } : c));
}

export function BillsTab({ projectId }: { projectId: string }) {
  const t = useT();
  const [period, setPeriod] = useState<Dayjs | null>(null);
  const [state, setState] = useState<BillState | null>(null);
  const [buildingId, setBuilding] = useState<string | null>(null);
  const [chargeItemId, setItem] = useState<string | null>(null);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const filter = { period: period ? period.startOf("month").format("YYYY-MM-DD") : null, state, buildingId, chargeItemId };
  const q = useQuery(BillsDoc, { projectId, filter, after: pages[pages.length - 1] ?? null });
  const buildings = useQuery(FeeBuildingsDoc, { projectId });
  const items = useQuery(ChargeItemsDoc, { projectId });
  const restart = () => setPages([null]);
  const b = q.data?.bills;
  return (
    <div data-testid="bills">
      <Space wrap style={{ marginBottom: 8 }}>
        <DatePicker picker="month" value={period} onChange={(d) => { setPeriod(d); restart(); }} placeholder={t("全部账期", "Any month")} aria-label={t("账期", "Month")} />
        <Select allowClear style={{ width: 110 }} placeholder={t("全部状态", "Any state")} value={state ?? undefined} aria-label={t("状态", "State")}
                onChange={(v: BillState | undefined) => { setState(v ?? null); restart(); }}
                options={BILL_STATES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
        <Select allowClear style={{ width: 130 }} placeholder={t("全部楼栋", "All buildings")} value={buildingId ?? undefined} aria-label={t("楼栋", "Building")}
                onChange={(v: string | undefined) => { setBuilding(v ?? null); restart(); }}
                options={(buildings.data?.buildings.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
        <Select allowClear style={{ width: 130 }} placeholder={t("全部项目", "All items")} value={chargeItemId ?? undefined} aria-label={t("收费项目", "Item")}
                onChange={(v: string | undefined) => { setItem(v ?? null); restart(); }}
                options={(items.data?.chargeItems ?? []).map((i) => ({ value: i.id, label: i.name }))} />
        {b && <Typography.Text type="secondary" data-testid="bills-count"><L zh={`共 ${b.totalCount} 张`} en={`${b.totalCount} bills`} /></Typography.Text>}
      </Space>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <Table<FeeBillFragment> size="small" rowKey="id" columns={billColumns(t, true)} dataSource={b?.edges.map((e) => e.node) ?? []}
                              loading={q.loading} pagination={false} locale={{ emptyText: t("没有账单", "No bills") }} />
      <Space style={{ marginTop: 8 }}>
        {pages.length > 1 && <Button onClick={() => setPages((p) => p.slice(0, -1))}><L zh="上一页" en="Previous" /></Button>}
        {b?.pageInfo.hasNextPage && <Button onClick={() => setPages((p) => [...p, b.pageInfo.endCursor ?? null])}><L zh="下一页" en="Next" /></Button>}
      </Space>
    </div>
  );
}
