// 登记 Intake, built for a ringing phone: keyboard only (digits pick kind and severity,
// Ctrl+Enter registers and commits in one go), one idempotency key per form so a retry never
// duplicates, the API's error shown under the form, a line to read to the caller afterwards, then
// D (dispatch to whoever is on duty) or L (link a repeat). The draft survives a reload until registered.
// The first box (F2 lands on it) finds the caller by phone or flat and fills the flat and reporter.
import { Alert, Button, Card, Form, Input, Radio, Segmented, Select, Space, Typography } from "antd";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Link } from "react-router-dom";
import { ApiError, check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { useAuth } from "../../auth";
import { graphql } from "../../gql";
import type { CaseKind, Channel, Severity } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { CHANNELS, KINDS, SEVERITIES } from "../../ui/labels";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { CallerSearch, type Picked } from "./CallerSearch";
import { clearDraft, loadDraft, saveDraft } from "./draft";
import { FollowUps } from "./FollowUps";
import { KnowledgeHints } from "./KnowledgeHints";
import { PraisedPicker } from "./PraisedPicker";
import { RiskChip } from "./RiskChip";

const IntakeOptionsDoc = graphql(`
  query IntakeOptions {
    projects(first: 100) { edges { node { id code name } } }
    caseCategories { code name }
  }
`);

const RegisterDoc = graphql(`
  mutation IntakeRegister($input: RegisterCaseInput!, $key: String) {
    registerCase(input: $input, idempotencyKey: $key) {
      case { id number }
      errors { code message field }
    }
  }
`);

const CommitDoc = graphql(`
  mutation IntakeCommit($caseId: ID!, $key: String) {
    commitCase(caseId: $caseId, idempotencyKey: $key) {
      case { id number state stateLabel commitmentDue }
      errors { code message field }
    }
  }
`);

interface Fields {
  projectId: string;
  channel: Channel;
  kind: CaseKind;
  category: string;
  description: string;
  severity: Severity;
  place: string;
  // The flat picked through the caller search, and who lives there: sent only while 位置 still holds it.
  pickedUnitId?: string;
  pickedLabel?: string;
  reporterResidentId?: string;
  praisedUserIds?: string[]; // 表扬: the staff it names
}

type Done = { id: string; number: string; stateLabel: string; commitmentDue: string | null | undefined; projectId: string; formKey: string };
const LAST_PROJECT = "firstcall.intake.project";

function digitPicker<T>(values: { value: T }[], set: (v: T) => void) {
  return (e: KeyboardEvent) => {
    const i = Number(e.key) - 1;
    if (!e.ctrlKey && !e.metaKey && i >= 0 && i < values.length) {
      e.preventDefault();
      set(values[i].value);
    }
  };
}

export default function IntakePage() {
  const t = useT();
  const [form] = Form.useForm<Fields>();
  const me = useAuth().viewer?.user?.id ?? "";
  const options = useQuery(IntakeOptionsDoc, {});
  const [draft] = useState(() => loadDraft(me));
  const [formKey, setFormKey] = useState(() => draft?.key ?? crypto.randomUUID());
  const [where, setWhere] = useState<"public" | "unit">(draft?.where ?? "public");
  const description = Form.useWatch("description", form);
  const projectId = Form.useWatch("projectId", form);
  const place = Form.useWatch("place", form);
  const category = Form.useWatch("category", form);
  const kind = Form.useWatch("kind", form);
  const pickedUnitId = Form.useWatch("pickedUnitId", form);
  const pickedLabel = Form.useWatch("pickedLabel", form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const first = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  const projects = useMemo(() => options.data?.projects.edges.map((e) => e.node) ?? [], [options.data]);
  useEffect(() => {
    if (projects.length && !form.getFieldValue("projectId")) {
      if (draft) form.setFieldsValue(draft.values as Partial<Fields>);
      const wanted = form.getFieldValue("projectId") ?? localStorage.getItem(LAST_PROJECT);
      form.setFieldValue("projectId", projects.find((p) => p.id === wanted)?.id ?? projects[0].id);
    }
  }, [projects, form, draft]);
  // Saved on every change the person makes, so a programmatic reset after registering never brings it back.
  const keep = (place: "public" | "unit" = where) => {
    if (me) saveDraft(me, { key: formKey, where: place, values: { ...form.getFieldsValue() } as Record<string, unknown> });
  };

  const pick = (p: Picked) => {
    form.setFieldsValue({
      ...(p.projectId ? { projectId: p.projectId } : {}), place: p.unitId, pickedUnitId: p.unitId,
      pickedLabel: p.residentName ? `${p.unitLabel} · ${p.residentName}` : p.unitLabel, reporterResidentId: p.residentId,
    });
    setWhere("unit");
    keep("unit");
  };

  async function submit() {
    let values: Fields;
    try {
      values = await form.validateFields();
    } catch {
      return; // the fields show what is missing
    }
    setBusy(true);
    setError(null);
    try {
      const place = values.place.trim();
      const input = {
        projectId: values.projectId, kind: values.kind, channel: values.channel, category: values.category,
        description: values.description.trim(), severity: values.severity,
        ...(where === "unit" ? { unitId: place } : { publicArea: place }),
        ...(where === "unit" && place === values.pickedUnitId && values.reporterResidentId
          ? { reporterResidentId: values.reporterResidentId } : {}),
        ...(values.kind === "PRAISE" && values.praisedUserIds?.length ? { praisedUserIds: values.praisedUserIds } : {}),
      };
      const registered = check((await request(RegisterDoc, { input, key: `${formKey}:reg` })).registerCase);
      const committed = check((await request(CommitDoc, { caseId: registered.case!.id, key: `${formKey}:commit` })).commitCase);
      const c = committed.case!;
      localStorage.setItem(LAST_PROJECT, values.projectId);
      setDone({ id: c.id, number: c.number, stateLabel: c.stateLabel, commitmentDue: c.commitmentDue, projectId: values.projectId, formKey });
      form.resetFields(["kind", "category", "description", "place", "pickedUnitId", "pickedLabel", "reporterResidentId", "praisedUserIds"]);
      form.setFieldValue("severity", "GENERAL");
      setFormKey(crypto.randomUUID());
      clearDraft(me);
      // On the line to read aloud, outside any input: D and L work at once; Tab leads on.
      window.setTimeout(() => doneRef.current?.focus(), 0);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError("INTERNAL", String(e));
      setError(err); // the same form key stays: sending again cannot make a second case
    } finally {
      setBusy(false);
    }
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  if (options.loading && !options.data) return <Loading />;
  if (options.data && projects.length === 0) return <Nothing zh="你还没有可登记的项目" en="You have no project to register cases in" />;
  const due = done?.commitmentDue ? new Date(done.commitmentDue).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" }) : null;

  return (
    <div style={{ display: "flex", gap: 16, alignItems: "flex-start", flexWrap: "wrap" }}>
    <Card title={<L zh="登记工单" en="Register a case" />} style={{ maxWidth: 820, flex: "1 1 600px" }}
          extra={<Typography.Text type="secondary">F2 · Ctrl+Enter</Typography.Text>}>
      <ErrorBanner error={options.error} onRetry={() => void options.refetch()} />
      {done && (
        <div ref={doneRef} tabIndex={-1} style={{ marginBottom: 16, outline: "none" }}>
          <Alert type="success" showIcon data-testid="intake-done" role="status"
                 message={<span><L zh="已登记并承诺" en="Registered and committed" /> {done.number} · {done.stateLabel} · <Link to={`/cases/${done.id}`} data-testid="intake-open-case"><L zh="打开工单 · 派单" en="Open the case" /></Link></span>}
                 description={<>
                   {due && <span><L zh="请告知来电人" en="Tell the caller" />：尾号{done.number.slice(-4)}，{due}前处理</span>}
                   <FollowUps key={done.id} registered={{ id: done.id, number: done.number, projectId: done.projectId, formKey: done.formKey }} />
                 </>} />
        </div>
      )}
      <CallerSearch projectId={projectId} onPick={pick} />
      <Form<Fields> form={form} layout="horizontal" labelCol={{ span: 4 }} onKeyDown={onKeyDown} requiredMark={false} onValuesChange={() => keep()}
                    initialValues={{ channel: "PHONE", severity: "GENERAL" }} disabled={busy}>
        <div ref={first}>
          <Form.Item name="projectId" label={<L zh="项目" en="Project" />} rules={[{ required: true }]}>
            <Select showSearch optionFilterProp="label" aria-label={t("项目", "Project")}
                    options={projects.map((p) => ({ value: p.id, label: `${p.name} ${p.code}` }))} />
          </Form.Item>
        </div>
        <Form.Item name="channel" label={<L zh="渠道" en="Channel" />}>
          <Select aria-label={t("渠道", "Channel")} options={CHANNELS.map((c) => ({ value: c.value, label: t(c.zh, c.en) }))} />
        </Form.Item>
        <Form.Item label={<L zh="类型" en="Kind" />} required>
          <div onKeyDown={digitPicker(KINDS, (v) => form.setFieldValue("kind", v))}>
            <Form.Item name="kind" noStyle rules={[{ required: true, message: t("按数字键 1–7 选择类型", "Press 1–7 to pick the kind") }]}>
              <Radio.Group aria-label={t("类型", "Kind")} options={KINDS.map((k, i) => ({ value: k.value, label: `${i + 1} ${t(k.zh, k.en)}` }))} />
            </Form.Item>
          </div>
        </Form.Item>
        {kind === "PRAISE" && projectId && <PraisedPicker projectId={projectId} />}
        <Form.Item name="category" label={<L zh="类别" en="Category" />} rules={[{ required: true, message: t("请选择类别", "Pick a category") }]}>
          <Select showSearch optionFilterProp="label" placeholder={t("输入名称或拼音代码筛选", "Type to filter")} aria-label={t("类别", "Category")}
                  options={options.data?.caseCategories.map((c) => ({ value: c.code, label: `${c.name} ${c.code}` }))} />
        </Form.Item>
        <Form.Item label={<L zh="描述" en="Description" />} required>
          <Form.Item name="description" noStyle rules={[{ required: true, whitespace: true, message: t("请填写描述", "Describe the case") }]}>
            <Input.TextArea rows={3} maxLength={2000} aria-label={t("描述", "Description")} />
          </Form.Item>
          <RiskChip text={description} />
        </Form.Item>
        <Form.Item label={<L zh="紧急度" en="Severity" />}>
          <div onKeyDown={digitPicker(SEVERITIES, (v) => form.setFieldValue("severity", v))}>
            <Form.Item name="severity" noStyle>
              <Radio.Group aria-label={t("紧急度", "Severity")} options={SEVERITIES.map((s, i) => ({ value: s.value, label: `${i + 1} ${t(s.zh, s.en)}` }))} />
            </Form.Item>
          </div>
        </Form.Item>
        <Form.Item label={<L zh="位置" en="Place" />} required>
          <Space.Compact style={{ width: "100%" }}>
            <Segmented value={where} onChange={(v) => { setWhere(v as "public" | "unit"); keep(v as "public" | "unit"); }}
                       options={[{ value: "public", label: t("公共区域", "Public area") }, { value: "unit", label: t("房屋", "Unit") }]} />
            <Form.Item name="place" noStyle rules={[{ required: true, whitespace: true, message: t("请填写位置", "Give the place") }]}>
              <Input aria-label={t("位置", "Place")} placeholder={where === "public" ? t("如 3栋电梯厅", "e.g. lobby of building 3") : t("房屋 ID", "Unit ID")} />
            </Form.Item>
          </Space.Compact>
          {where === "unit" && pickedUnitId && pickedUnitId === place && (
            <Typography.Text type="secondary" data-testid="intake-picked"><L zh="已选" en="Picked" />：{pickedLabel}</Typography.Text>
          )}
        </Form.Item>
        <Form.Item name="pickedUnitId" hidden><Input /></Form.Item>
        <Form.Item name="pickedLabel" hidden><Input /></Form.Item>
        <Form.Item name="reporterResidentId" hidden><Input /></Form.Item>
        {error && <Alert type="error" showIcon role="alert" data-testid="intake-error" style={{ marginBottom: 12 }}
                         message={<span>{error.message} <code>{error.code}</code></span>} />}
        <Form.Item wrapperCol={{ offset: 4 }}>
          <Button type="primary" onClick={() => void submit()} loading={busy} data-testid="intake-submit">
            <L zh="登记并承诺" en="Register and commit" /> (Ctrl+Enter)
          </Button>
        </Form.Item>
      </Form>
    </Card>
    <div style={{ flex: "0 1 360px", minWidth: 300 }}>
      <KnowledgeHints projectId={projectId} categoryCode={category} />
    </div>
    </div>
  );
}
