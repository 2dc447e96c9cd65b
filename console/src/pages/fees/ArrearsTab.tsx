// 欠费 The flats that owe, one row each (arrears): overdue amount, oldest due date and the five
// ageing buckets (一个月内 … 一年以上), filtered by building, days overdue, amount and item, ordered by
// amount, age or flat, fifty a page; the totals over the whole filtered list above. Each row shows
// its last reminder and an open hold (催缴); fee:collect holders record a reminder, hold or resume
// it. 导出 saves the arrears workbook (GET /export/arrears.xlsx) with the session's token.
import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, InputNumber, Segmented, Select, Space, Statistic, Table } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { download } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import type { ArrearsOrder, ArrearsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner } from "../../ui/states";
import { yuan } from "./money";
import { ChargeItemsDoc, FeeBuildingsDoc } from "./queries";
import { ArrearsDoc } from "./queries";
import { RemindMenu, ReminderDialog, ReminderState, type Flat } from "./ReminderActions";

type Row = ArrearsQuery["arrears"]["edges"][number]["node"];
export const BUCKETS = [
  { key: "d30", zh: "一个月内", en: "≤30 d" },
  { key: "d90", zh: "一至三个月", en: "31–90 d" },
  { key: "d180", zh: "三至六个月", en: "91–180 d" },
  { key: "d365", zh: "六个月至一年", en: "181–365 d" },
  { key: "over365", zh: "一年以上", en: ">1 yr" },
] as const;

const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

function ExportArrears({ project }: { project: { id: string; code: string } }) {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (busy) return; // a double click is one file
    setBusy(true);
    try {
      await download(`/export/arrears.xlsx?project=${encodeURIComponent(project.id)}`, `欠费-${project.code}-${today()}.xlsx`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void save()} data-testid="arrears-export"
            title={t("全部逾期房屋及其账单（不受上面的筛选影响）", "Every overdue flat and its bills (the filters above do not apply)")}>
      <L zh="导出欠费" en="Export" />
    </Button>
  );
}

export function ArrearsTab({ project, onCollect, mayRemind }: {
  project: { id: string; code: string }; onCollect: ((unitId: string) => void) | null; mayRemind: boolean;
}) {
  const t = useT();
  const projectId = project.id;
  const [dialog, setDialog] = useState<{ flat: Flat; mode: "record" | "hold" } | null>(null);
  const [orderBy, setOrder] = useState<ArrearsOrder>("AMOUNT");
  const [buildingId, setBuilding] = useState<string | null>(null);
  const [chargeItemId, setItem] = useState<string | null>(null);
  const [minOverdueDays, setDays] = useState(1);
  const [minYuan, setMinYuan] = useState(0);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const after = pages[pages.length - 1] ?? null;
  const filter = { buildingId, chargeItemId, minOverdueDays, minAmountFen: Math.round(minYuan * 100) };
  const q = useQuery(ArrearsDoc, { projectId, filter, orderBy, after });
  const buildings = useQuery(FeeBuildingsDoc, { projectId });
  const items = useQuery(ChargeItemsDoc, { projectId });
  const restart = () => setPages([null]);
  const a = q.data?.arrears;

  const columns: ColumnsType<Row> = [
    { title: <L zh="房屋" en="Flat" />, dataIndex: "label", width: 150 },
    { title: <L zh="联系人" en="Contact" />, key: "c", width: 130, render: (_, r) => (r.contactName ? `${r.contactName} ${r.contactPhoneMasked ?? ""}` : "—") },
    { title: <L zh="逾期欠费" en="Overdue" />, key: "o", align: "right", width: 100, render: (_, r) => <b className="fc-num">{yuan(r.overdue)}</b> },
    { title: <L zh="最早应缴" en="Oldest due" />, dataIndex: "oldestDueOn", width: 100, render: (d: string) => <span className="fc-num">{d}</span> },
    { title: <L zh="催缴" en="Reminded" />, key: "rem", width: 130, render: (_, r) => <ReminderState last={r.lastReminder} hold={r.hold} /> },
    ...BUCKETS.map((b) => ({ title: <L zh={b.zh} en={b.en} />, key: b.key, align: "right" as const, width: 90,
      render: (_: unknown, r: Row) => <span className="fc-num">{Number(r.ageing[b.key]) ? yuan(r.ageing[b.key]) : ""}</span> })),
    ...(onCollect || mayRemind ? [{ title: "", key: "act", width: mayRemind && onCollect ? 220 : 110, fixed: "right" as const, render: (_: unknown, r: Row) => {
      const unit = r.unit;
      if (!unit) return null;
      const flat = { unitId: unit.id, label: r.label };
      return (
        <Space size={4}>
          {onCollect && <Button size="small" onClick={() => onCollect(unit.id)} data-testid="arrears-collect"><L zh="收款" en="Collect" /></Button>}
          {mayRemind && <RemindMenu flat={flat} held={!!r.hold} onOpen={(mode) => setDialog({ flat, mode })} onDone={() => void q.refetch()} />}
        </Space>
      );
    } }] : []),
  ];

  return (
    <div data-testid="arrears">
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented value={orderBy} aria-label={t("排序", "Order")} onChange={(v) => { setOrder(v as ArrearsOrder); restart(); }} options={[
          { value: "AMOUNT", label: t("按金额", "By amount") }, { value: "AGE", label: t("按账龄", "By age") }, { value: "UNIT", label: t("按房号", "By flat") }]} />
        <Select allowClear style={{ width: 130 }} placeholder={t("全部楼栋", "All buildings")} value={buildingId ?? undefined} aria-label={t("楼栋", "Building")}
                onChange={(v: string | undefined) => { setBuilding(v ?? null); restart(); }}
                options={(buildings.data?.buildings.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
        <Select allowClear style={{ width: 130 }} placeholder={t("全部项目", "All items")} value={chargeItemId ?? undefined} aria-label={t("收费项目", "Item")}
                onChange={(v: string | undefined) => { setItem(v ?? null); restart(); }}
                options={(items.data?.chargeItems ?? []).map((i) => ({ value: i.id, label: i.name }))} />
        <span><L zh="逾期≥" en="Overdue ≥" /> <InputNumber min={1} max={3650} value={minOverdueDays} style={{ width: 70 }}
                                                         onChange={(v) => { setDays(v ?? 1); restart(); }} aria-label={t("逾期天数", "Days overdue")} /> {t("天", "days")}</span>
        <span><L zh="金额≥" en="Amount ≥" /> <InputNumber min={0} value={minYuan} style={{ width: 90 }}
                                                        onChange={(v) => { setMinYuan(v ?? 0); restart(); }} aria-label={t("最低金额", "Minimum amount")} /> {t("元", "yuan")}</span>
        <ExportArrears project={project} />
      </Space>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {a && (
        <Space size="large" wrap style={{ marginBottom: 8 }} data-testid="arrears-totals">
          <Statistic title={t("欠费户数", "Flats")} value={a.totals.flats} data-testid="arrears-flats" />
          <Statistic title={t("逾期合计（元）", "Overdue (yuan)")} value={yuan(a.totals.overdue)} data-testid="arrears-overdue" />
          {BUCKETS.map((b) => <Statistic key={b.key} title={t(b.zh, b.en)} value={yuan(a.totals.ageing[b.key])} />)}
        </Space>
      )}
      <Table<Row> size="small" rowKey={(r) => r.unit?.id ?? r.label} columns={columns} dataSource={a?.edges.map((e) => e.node) ?? []}
                  loading={q.loading} pagination={false} data-testid="arrears-table" scroll={{ x: 1300 }}
                  locale={{ emptyText: t("没有符合条件的欠费", "No arrears match") }} />
      <Space style={{ marginTop: 8 }}>
        {pages.length > 1 && <Button onClick={() => setPages((p) => p.slice(0, -1))}><L zh="上一页" en="Previous" /></Button>}
        {a?.pageInfo.hasNextPage && <Button onClick={() => setPages((p) => [...p, a.pageInfo.endCursor ?? null])}><L zh="下一页" en="Next" /></Button>}
      </Space>
      {dialog && <ReminderDialog flat={dialog.flat} mode={dialog.mode} onClose={() => setDialog(null)} onDone={() => void q.refetch()} />}
    </div>
  );
}
