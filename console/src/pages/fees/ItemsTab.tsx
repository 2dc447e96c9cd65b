// 收费项目 A project's charge items with their rates (newest first); fee:manage holders add an item,
// set a rate from a month on, and 出账: months and items → 试算 (a dry run: the bills it would create,
// their total and the flats skipped, by reason) → 确认出账 with the same choice. A month already
// billed is not billed again. A dry run lists the flats it skipped, each linked to the archive.
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { ChargeBasis, ChargeKind, FeeChargeItemFragment, FeeGenerateBillsMutation } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading } from "../../ui/states";
import { month, toRate, yuan } from "./money";
import { BillRunsDoc, ChargeItemsDoc, CreateChargeItemDoc, GenerateBillsDoc, SetChargeRateDoc } from "./queries";
import { SkippedUnits } from "./SkippedUnits";

const KINDS: { value: ChargeKind; zh: string; en: string }[] = [
  { value: "PROPERTY", zh: "物业费", en: "Property" }, { value: "PARKING", zh: "停车费", en: "Parking" },
  { value: "UTILITY", zh: "水电燃气", en: "Utility" }, { value: "ONE_OFF", zh: "一次性", en: "One-off" }, { value: "OTHER", zh: "其他", en: "Other" },
];
const BASES: { value: ChargeBasis; zh: string; en: string }[] = [
  { value: "AREA", zh: "按面积", en: "By area" }, { value: "FIXED", zh: "按户", en: "Per flat" },
  { value: "SPACE", zh: "按车位", en: "Per space" }, { value: "ONE_OFF", zh: "一次性", en: "One-off" },
];
const SKIPS: Record<string, { zh: string; en: string }> = {
  NO_AREA: { zh: "无面积", en: "no area" }, NO_RATE: { zh: "无单价", en: "no rate" }, NO_UNIT_FOR_SPACE: { zh: "车位未关联房屋", en: "space without flat" },
};

type Run = NonNullable<FeeGenerateBillsMutation["generateBills"]["billRun"]>;

function NewItem({ projectId, onSaved }: { projectId: string; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ code: string; name: string; kind: ChargeKind; basis: ChargeBasis; startsOn: Dayjs; dueDay: number; vacantPercent: number }>();
  const save = useAction("createChargeItem", async (key, v: { code: string; name: string; kind: ChargeKind; basis: ChargeBasis; startsOn: Dayjs; dueDay: number; vacantPercent: number }) => {
    checkInto(form, (await request(CreateChargeItemDoc, { key, input: { projectId, code: v.code, name: v.name, kind: v.kind, basis: v.basis,
      startsOn: v.startsOn.startOf("month").format("YYYY-MM-DD"), dueDay: v.dueDay, vacantPercent: v.vacantPercent } })).createChargeItem);
    form.resetFields();
    onSaved();
  });
  const required = { required: true, message: t("必填", "Required") };
  return (
    <Card size="small" title={<L zh="新建收费项目" en="New charge item" />} data-testid="fee-item-form">
      <Form form={form} layout="inline" disabled={save.busy}
            initialValues={{ kind: "PROPERTY", basis: "AREA", startsOn: dayjs().startOf("month"), dueDay: 15, vacantPercent: 100 }}>
        <Form.Item name="code" label={t("编码", "Code")} rules={[required]}><Input style={{ width: 80 }} maxLength={20} placeholder="WYF" /></Form.Item>
        <Form.Item name="name" label={t("名称", "Name")} rules={[required]}><Input style={{ width: 110 }} maxLength={40} /></Form.Item>
        <Form.Item name="kind" label={t("类别", "Kind")}><Select style={{ width: 100 }} options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} /></Form.Item>
        <Form.Item name="basis" label={t("计费方式", "Basis")}><Select style={{ width: 100 }} options={BASES.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} /></Form.Item>
        <Form.Item name="startsOn" label={t("起始月", "From")}><DatePicker picker="month" allowClear={false} /></Form.Item>
        <Form.Item name="dueDay" label={t("缴费日", "Due day")}><InputNumber min={1} max={28} style={{ width: 60 }} /></Form.Item>
        <Form.Item name="vacantPercent" label={t("空置收取%", "Vacant %")}><InputNumber min={0} max={100} style={{ width: 64 }} /></Form.Item>
        <Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)}><L zh="新建" en="Add" /></Button>
      </Form>
      <FormError error={save.error} />
    </Card>
  );
}

function RateForm({ item, onSaved }: { item: FeeChargeItemFragment; onSaved: () => void }) {
  const t = useT();
  const [from, setFrom] = useState<Dayjs>(dayjs().startOf("month"));
  const [rate, setRate] = useState("");
  const save = useAction("setChargeRate", async (key, id: string, f: string, r: number) => {
    check((await request(SetChargeRateDoc, { id, from: f, rate: r, key })).setChargeRate);
    setRate("");
    onSaved();
  });
  const fen = toRate(rate);
  return (
    <Space wrap>
      <DatePicker picker="month" value={from} allowClear={false} onChange={(d) => d && setFrom(d)} aria-label={t("生效月", "From month")} />
      <Input style={{ width: 110 }} value={rate} onChange={(e) => setRate(e.target.value)} aria-label={t("单价（元）", "Rate (yuan)")}
             placeholder={item.basis === "AREA" ? t("元/m²/月", "yuan/m²/month") : t("元/月", "yuan/month")} />
      <Button size="small" disabled={!fen} loading={save.busy} onClick={() => fen && void save.run(item.id, from.startOf("month").format("YYYY-MM-DD"), fen)}>
        <L zh="设置单价" en="Set rate" /></Button>
      <FormError error={save.error} />
    </Space>
  );
}

function Generate({ projectId, items, onDone }: { projectId: string; items: FeeChargeItemFragment[]; onDone: () => void }) {
  const t = useT();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf("month"), dayjs().startOf("month")]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [trial, setTrial] = useState<{ run: Run; input: string } | null>(null);
  const [applied, setApplied] = useState<Run | null>(null);
  const input = { projectId, fromMonth: range[0].startOf("month").format("YYYY-MM-DD"), toMonth: range[1].startOf("month").format("YYYY-MM-DD"), chargeItemIds: chosen };
  const asked = JSON.stringify(input);
  const go = useAction("generateBills", async (key, dryRun: boolean) => {
    const run = check((await request(GenerateBillsDoc, { input: { ...input, dryRun }, key })).generateBills).billRun;
    if (!run) return;
    if (dryRun) {
      setTrial({ run, input: asked });
      setApplied(null);
    } else {
      setApplied(run);
      setTrial(null);
      onDone();
    }
  });
  const skipped = (r: Run) => r.skipped.filter((s) => s.count > 0).map((s) => `${SKIPS[s.reason] ? t(SKIPS[s.reason]!.zh, SKIPS[s.reason]!.en) : s.reason} ${s.count}`).join("，");
  return (
    <Card size="small" title={<L zh="出账" en="Generate bills" />} data-testid="fee-generate">
      <Space wrap>
        <DatePicker.RangePicker picker="month" value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
                                aria-label={t("账期", "Months")} />
        <Select mode="multiple" style={{ minWidth: 200 }} value={chosen} onChange={setChosen} placeholder={t("选择收费项目", "Choose items")}
                data-testid="fee-generate-items" options={items.filter((i) => i.active).map((i) => ({ value: i.id, label: i.name }))} />
        <Button disabled={!chosen.length} loading={go.busy} onClick={() => void go.run(true)} data-testid="fee-dry-run"><L zh="试算" en="Dry run" /></Button>
        <Button type="primary" disabled={!trial || trial.input !== asked} loading={go.busy} onClick={() => void go.run(false)}
                data-testid="fee-apply"><L zh="确认出账" en="Bill them" /></Button>
      </Space>
      {trial && (
        <Alert style={{ marginTop: 8 }} type="info" showIcon data-testid="fee-dry-result"
               message={t(`试算：将生成 ${trial.run.created} 张账单，合计 ¥${trial.run.totalYuan}`, `Dry run: ${trial.run.created} bills, ¥${trial.run.totalYuan} in all`)}
               description={skipped(trial.run) ? `${t("跳过", "Skipped")}：${skipped(trial.run)}` : t("无跳过", "Nothing skipped")} />
      )}
      {trial && skipped(trial.run) && <SkippedUnits runId={trial.run.id} projectId={projectId} />}
      {applied && (
        <Alert style={{ marginTop: 8 }} type="success" showIcon data-testid="fee-applied"
               message={t(`已出账 ${applied.created} 张，合计 ¥${applied.totalYuan}`, `${applied.created} bills issued, ¥${applied.totalYuan}`)}
               description={skipped(applied) ? `${t("跳过", "Skipped")}：${skipped(applied)}` : undefined} />
      )}
      <FormError error={go.error} />
    </Card>
  );
}

export function ItemsTab({ projectId, mayManage }: { projectId: string; mayManage: boolean }) {
  const t = useT();
  const q = useQuery(ChargeItemsDoc, { projectId });
  const runs = useQuery(BillRunsDoc, { projectId });
  const items = q.data?.chargeItems ?? [];
  const reload = () => { void q.refetch(); void runs.refetch(); };
  return (
    <div data-testid="fee-items">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : (
        <Table<FeeChargeItemFragment> size="small" rowKey="id" dataSource={items} pagination={false} style={{ marginBottom: 12 }}
                                      locale={{ emptyText: t("暂无收费项目", "No charge item yet") }}
                                      expandable={mayManage ? { expandedRowRender: (i) => <RateForm item={i} onSaved={reload} /> } : undefined}
                                      columns={[
          { title: <L zh="编码" en="Code" />, dataIndex: "code", width: 70 },
          { title: <L zh="名称" en="Name" />, dataIndex: "name" },
          { title: <L zh="类别" en="Kind" />, dataIndex: "kindLabel", width: 80 },
          { title: <L zh="计费方式" en="Basis" />, dataIndex: "basisLabel", width: 80 },
          { title: <L zh="单价（元）" en="Rate (yuan)" />, key: "r", render: (_, i) => i.rates.length
            ? i.rates.map((r) => <div key={r.effectiveFrom} className="fc-num">{month(r.effectiveFrom)} 起 {r.rateYuan}</div>)
            : <Typography.Text type="secondary">{t("未设单价", "No rate")}</Typography.Text> },
          { title: <L zh="缴费日" en="Due day" />, dataIndex: "dueDay", width: 64 },
          { title: <L zh="空置%" en="Vacant %" />, dataIndex: "vacantPercent", width: 64 },
          { title: <L zh="状态" en="State" />, key: "a", width: 64, render: (_, i) => <Tag>{i.active ? t("启用", "Active") : t("停用", "Paused")}</Tag> },
        ]} />
      )}
      {mayManage && <NewItem projectId={projectId} onSaved={reload} />}
      {mayManage && <div style={{ marginTop: 12 }}><Generate projectId={projectId} items={items} onDone={reload} /></div>}
      <Card size="small" style={{ marginTop: 12 }} title={<L zh="出账记录" en="Bill runs" />}>
        <Table size="small" rowKey="id" dataSource={runs.data?.billRuns ?? []} pagination={false}
               locale={{ emptyText: t("暂无出账", "No run yet") }} columns={[
          { title: <L zh="账期" en="Months" />, key: "m", render: (_, r) => `${month(r.fromMonth)} – ${month(r.toMonth)}` },
          { title: <L zh="类型" en="Kind" />, key: "d", render: (_, r) => (r.dryRun ? t("试算", "Dry run") : t("出账", "Billed")) },
          { title: <L zh="账单数" en="Bills" />, dataIndex: "created", align: "right" },
          { title: <L zh="合计" en="Total" />, key: "t", align: "right", render: (_, r) => <span className="fc-num">{yuan(r.total)}</span> },
          { title: <L zh="经办" en="By" />, key: "by", render: (_, r) => r.createdByActor.displayName },
          { title: <L zh="时间" en="At" />, key: "at", render: (_, r) => dayjs(r.startedAt).format("YYYY-MM-DD HH:mm") },
        ]} />
      </Card>
    </div>
  );
}
