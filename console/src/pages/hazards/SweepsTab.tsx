// 排查 HQ dragnet sweeps (docs/centre-day.md §2.3): the company's sweeps newest first; the chosen
// one's checklist and completion board (sweepProgress: each project's state, items checked,
// hazards found by grade, late in red). Headquarters (company-wide sweep:manage) drafts a sweep
// with its checklist and launches it; a project (sweep:record there) records each item's result —
// a 隐患 result names the hazard, put on the register at once — and submits its part. The API
// gives no per-item results back, so the items recorded here are marked for this visit only.
// Headquarters edits an open sweep and closes it (SweepEdit.tsx).
import { Button, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { HazardCategory, HazardGrade, SweepProgressRowFragment, SweepResult, SweepRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { SweepActions } from "./SweepEdit";
import {
  beijing, CATEGORIES, CreateSweepDoc, GRADES, LaunchSweepDoc, RecordSweepResultDoc, SubmitSweepDoc, SweepProgressDoc, SweepsDoc,
} from "./queries";

const SWEEP_STATE: Record<string, [string, string]> = { DRAFT: ["草稿", "Draft"], LAUNCHED: ["已下发", "Launched"], CLOSED: ["已结束", "Closed"] };
const PART_STATE: Record<string, [string, string]> = { PENDING: ["未开始", "Pending"], IN_PROGRESS: ["排查中", "In progress"], SUBMITTED: ["已提交", "Submitted"] };

interface CreateValues { title: string; reason: string; dueAt: Dayjs; items: string; category: HazardCategory }

function CreateSweep({ onClose }: { onClose: (made?: SweepRowFragment) => void }) {
  const t = useT();
  const [form] = Form.useForm<CreateValues>();
  const create = useAction("createSweep", async (key, v: CreateValues) => {
    const lines = v.items.split("\n").map((l) => l.trim()).filter(Boolean);
    const p = checkInto(form, (await request(CreateSweepDoc, {
      key,
      input: { title: v.title.trim(), reason: (v.reason ?? "").trim(), dueAt: v.dueAt.toISOString(),
               checklist: lines.map((text, i) => ({ code: `C${String(i + 1).padStart(2, "0")}`, text, category: v.category })) },
    })).createSweep);
    onClose(p.sweep ?? undefined);
  });
  return (
    <FormDrawer open title={<L zh="新建排查行动" en="New sweep" />} busy={create.busy} error={create.error}
                onSubmit={() => void submitForm(form, create)} onClose={() => onClose()} testId="sweep-create">
      <Form<CreateValues> form={form} layout="vertical" disabled={create.busy} initialValues={{ dueAt: dayjs().add(7, "day"), category: "FIRE" }}>
        <Form.Item name="title" label={t("排查主题", "Title")} rules={[{ required: true, whitespace: true, message: t("请填写主题", "Give a title") }, { max: 100 }]}>
          <Input maxLength={100} data-testid="sweep-title" />
        </Form.Item>
        <Form.Item name="reason" label={t("排查原因", "Reason")} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="category" label={t("检查类别", "Category looked for")} rules={[{ required: true }]}>
          <Select options={CATEGORIES.map((c) => ({ value: c.value, label: t(c.zh, c.en) }))} />
        </Form.Item>
        <Form.Item name="items" label={t("检查清单（每行一项，最多 100 项）", "Checklist (one item per line, up to 100)")}
                   rules={[{ required: true, whitespace: true, message: t("请至少写一项", "Write at least one item") },
                           { validator: async (_, v?: string) => {
                             if ((v ?? "").split("\n").filter((l) => l.trim()).length > 100) throw new Error(t("最多 100 项", "At most 100 items"));
                           } }]}>
          <Input.TextArea rows={5} data-testid="sweep-items" placeholder={t("消防通道是否畅通\n灭火器是否在有效期内", "Fire lanes clear\nExtinguishers in date")} />
        </Form.Item>
        <Form.Item name="dueAt" label={t("截止时间（90 天内）", "Due (within 90 days)")} rules={[{ required: true }]}>
          <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" allowClear={false}
                      disabledDate={(d) => d.isBefore(dayjs(), "day") || d.isAfter(dayjs().add(90, "day"))} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

function Board({ sweep }: { sweep: SweepRowFragment }) {
  const t = useT();
  const q = useQuery(SweepProgressDoc, { sweepId: sweep.id }, sweep.state === "DRAFT");
  if (sweep.state === "DRAFT") return <Typography.Text type="secondary"><L zh="草稿：下发后各项目开始排查。" en="Draft: projects start once it is launched." /></Typography.Text>;
  return (
    <>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading rows={3} /> : (
        <Table<SweepProgressRowFragment> size="small" rowKey="projectId" pagination={false} dataSource={q.data?.sweepProgress ?? []}
                                         data-testid="sweep-board" rowClassName={(r) => (r.late ? "fc-overdue" : "")} columns={[
          { title: <L zh="项目" en="Project" />, dataIndex: "projectName" },
          { title: <L zh="状态" en="State" />, key: "state", width: 110, render: (_, r) => (
            <span data-testid="sweep-part-state"><Tag color={r.state === "SUBMITTED" ? "green" : undefined}>{t(...PART_STATE[r.state])}</Tag>
              {r.late && <Tag color="red">{t("逾期", "Late")}</Tag>}</span>) },
          { title: <L zh="已查" en="Checked" />, key: "checked", width: 80, render: (_, r) => <span className="fc-num">{r.itemsChecked}/{sweep.checklist.length}</span> },
          { title: <L zh="隐患 重大/较大/一般/低" en="Hazards M/S/G/L" />, key: "hz", width: 170, render: (_, r) => (
            <span className="fc-num">{r.hazardsMajor > 0 ? <Typography.Text type="danger">{r.hazardsMajor}</Typography.Text> : 0} / {r.hazardsSignificant} / {r.hazardsGeneral} / {r.hazardsLow}</span>) },
          { title: <L zh="提交时间" en="Submitted" />, key: "sub", width: 140, render: (_, r) => r.submittedAt ? <span className="fc-num">{beijing(r.submittedAt)}</span> : "—" },
        ]} />
      )}
    </>
  );
}

interface ItemValues { result: SweepResult; note: string; title: string; grade: HazardGrade; place: string }

function ItemRow({ sweep, projectId, item, recorded, onRecorded }: {
  sweep: SweepRowFragment; projectId: string; item: SweepRowFragment["checklist"][number]; recorded?: string;
  onRecorded: (s: SweepRowFragment, label: string) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<ItemValues>();
  const result = Form.useWatch("result", form);
  const record = useAction("recordSweepResult", async (key, v: ItemValues) => {
    const p = checkInto(form, (await request(RecordSweepResultDoc, {
      sweepId: sweep.id, projectId, itemCode: item.code, result: v.result, note: (v.note ?? "").trim(), key,
      hazard: v.result === "HAZARD" ? { title: v.title.trim(), category: item.category.toUpperCase() as HazardCategory, grade: v.grade, place: (v.place ?? "").trim() } : null,
    })).recordSweepResult);
    if (p.sweep) onRecorded(p.sweep, v.result === "HAZARD" ? `${t("隐患", "Hazard")} ${p.hazard?.number ?? ""}` : v.result === "OK" ? t("正常", "OK") : t("不适用", "N/A"));
  });
  return (
    <div className="fc-sweep-item" data-testid="sweep-item" data-code={item.code} style={{ padding: "8px 0", borderBottom: "1px solid #f0f0f0" }}>
      <div><span className="fc-num">{item.code}</span> {item.text} <Tag>{item.categoryLabel}</Tag>
        {recorded && <Tag color="green" data-testid="sweep-item-recorded">{t("已登记", "Recorded")}：{recorded}</Tag>}</div>
      <Form form={form} layout="inline" disabled={record.busy} initialValues={{ result: "OK", grade: "GENERAL" }} style={{ marginTop: 4, rowGap: 4 }}>
        <Form.Item name="result"><Select style={{ width: 100 }} data-testid="sweep-item-result" options={[
          { value: "OK", label: t("正常", "OK") }, { value: "HAZARD", label: t("有隐患", "Hazard") }, { value: "NA", label: t("不适用", "N/A") }]} /></Form.Item>
        {result === "HAZARD" && (<>
          <Form.Item name="title" rules={[{ required: true, whitespace: true, message: t("请写明隐患", "Name the hazard") }, { max: 100 }]}>
            <Input placeholder={t("隐患", "Hazard")} maxLength={100} style={{ width: 180 }} data-testid="sweep-item-hazard" /></Form.Item>
          <Form.Item name="grade"><Select style={{ width: 90 }} options={GRADES.map((g) => ({ value: g.value, label: t(g.zh, g.en) }))} /></Form.Item>
          <Form.Item name="place" rules={[{ max: 200 }]}><Input placeholder={t("位置", "Place")} style={{ width: 140 }} /></Form.Item>
        </>)}
        <Form.Item name="note" rules={[{ max: 2000 }]}><Input placeholder={t("备注", "Note")} style={{ width: 160 }} /></Form.Item>
        <Button loading={record.busy} onClick={() => void submitForm(form, record)} data-testid="sweep-item-record"><L zh="登记" en="Record" /></Button>
      </Form>
      <FormError error={record.error} />
    </div>
  );
}

function Record({ sweep, projectId, onChanged }: { sweep: SweepRowFragment; projectId: string; onChanged: (s: SweepRowFragment) => void }) {
  const [recorded, setRecorded] = useState<Record<string, string>>({});
  const part = sweep.progress.find((p) => p.projectId === projectId);
  const submit = useAction("submitSweep", async (key) => {
    const p = check((await request(SubmitSweepDoc, { sweepId: sweep.id, projectId, key })).submitSweep);
    if (p.sweep) onChanged(p.sweep);
  });
  if (!part) return null;
  if (part.state === "SUBMITTED") return <Typography.Text type="success" data-testid="sweep-submitted"><L zh="本项目已提交。" en="This project has submitted." /></Typography.Text>;
  return (
    <div data-testid="sweep-record">
      {sweep.checklist.map((i) => (
        <ItemRow key={i.code} sweep={sweep} projectId={projectId} item={i} recorded={recorded[i.code]}
                 onRecorded={(s, label) => { setRecorded((r) => ({ ...r, [i.code]: label })); onChanged(s); }} />))}
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" loading={submit.busy} disabled={part.itemsChecked < sweep.checklist.length}
                onClick={() => void submit.run()} data-testid="sweep-submit"><L zh="提交排查" en="Submit" /></Button>
        <span className="fc-beside fc-num">{part.itemsChecked}/{sweep.checklist.length}</span>
      </Space>
      <FormError error={submit.error} />
    </div>
  );
}

export function SweepsTab({ projectId }: { projectId: string | null }) {
  const t = useT();
  const { viewer } = useAuth();
  const q = useQuery(SweepsDoc, {});
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [patched, setPatched] = useState<Record<string, SweepRowFragment>>({});
  const sweeps = (q.data?.sweeps ?? []).map((s) => patched[s.id] ?? s);
  const sweep = sweeps.find((s) => s.id === chosen) ?? sweeps[0] ?? null;
  const manage = !!viewer?.permissions.includes("SWEEP_MANAGE");
  const patch = (s: SweepRowFragment) => setPatched((p) => ({ ...p, [s.id]: s }));
  const launch = useAction("launchSweep", async (key, id: string) => {
    const p = check((await request(LaunchSweepDoc, { sweepId: id, key })).launchSweep);
    if (p.sweep) patch(p.sweep);
  });
  return (
    <div data-testid="sweeps-tab">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select style={{ minWidth: 260 }} value={sweep?.id} placeholder={t("选择排查行动", "Choose a sweep")} data-testid="sweeps-pick"
                aria-label={t("排查行动", "Sweep")} onChange={(v: string) => setChosen(v)}
                options={sweeps.map((s) => ({ value: s.id, label: `${s.title} · ${t(...SWEEP_STATE[s.state])}` }))} />
        {manage && <Button type="primary" onClick={() => setCreating(true)} data-testid="sweep-create-open"><L zh="新建排查" en="New sweep" /></Button>}
      </Space>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading rows={3} /> : !sweep ? <Nothing zh="还没有排查行动。" en="No sweep yet." /> : (
        <div data-testid="sweep-detail">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {sweep.title} <Tag data-testid="sweep-state">{t(...SWEEP_STATE[sweep.state])}</Tag>
            <span className="fc-beside fc-num">{t("截止", "Due")} {beijing(sweep.dueAt)}</span>
          </Typography.Title>
          {sweep.reason && <Typography.Paragraph type="secondary">{sweep.reason}</Typography.Paragraph>}
          {sweep.state === "CLOSED" && sweep.closedAt && (
            <Typography.Paragraph type="secondary" data-testid="sweep-closed-note">
              {t("结束于", "Closed")} <span className="fc-num">{beijing(sweep.closedAt)}</span>{sweep.closeNote ? `：${sweep.closeNote}` : ""}
            </Typography.Paragraph>)}
          {manage && <SweepActions sweep={sweep} onChanged={patch} />}
          {manage && sweep.state === "DRAFT" && (
            <div style={{ marginBottom: 12 }}>
              <Button type="primary" loading={launch.busy} onClick={() => void launch.run(sweep.id)} data-testid="sweep-launch"><L zh="下发排查" en="Launch" /></Button>
              <FormError error={launch.error} />
            </div>)}
          {sweep.state === "DRAFT" && (
            <ol data-testid="sweep-checklist">{sweep.checklist.map((i) => <li key={i.code}>{i.text} <Tag>{i.categoryLabel}</Tag></li>)}</ol>)}
          <Typography.Title level={5}><L zh="完成情况" en="Completion" /></Typography.Title>
          {/* A recorded item or a submission changes the sweep's own progress: the board reads again. */}
          <Board key={`${sweep.id}:${sweep.state}:${sweep.progress.map((p) => `${p.state}${p.itemsChecked}`).join()}`} sweep={sweep} />
          {sweep.state === "LAUNCHED" && projectId && can(viewer, "SWEEP_RECORD", projectId) && (<>
            <Typography.Title level={5} style={{ marginTop: 16 }}><L zh="本项目排查登记" en="This project's results" /></Typography.Title>
            <Record sweep={sweep} projectId={projectId} onChanged={patch} />
          </>)}
        </div>
      )}
      {creating && <CreateSweep onClose={(made) => { setCreating(false); if (made) { void q.refetch(); setChosen(made.id); } }} />}
    </div>
  );
}
