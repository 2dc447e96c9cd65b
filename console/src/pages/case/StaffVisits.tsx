// 员工回访 Return visits to the staff a complaint was about (docs/centre-day.md §7), beside the
// resident's return visit: who was heard, the outcome (已认识问题 / 有异议 / 已辅导) and what was said;
// a form for whoever may follow up on the case (case:follow_up), never visiting themselves. The
// person is picked from the project's members, the handler and assignee first.
import { Button, Card, Form, Input, List, Radio, Select, Space, Tag, Typography } from "antd";
import { useMemo } from "react";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import { graphql } from "../../gql";
import type { CaseDetailFragment, StaffVisitOutcome } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, checkInto, submitForm, useAction } from "../../ui/action";
import { beijingTime } from "../../ui/Deadline";
import { ErrorBanner } from "../../ui/states";
import { ProjectMembersDoc } from "../intake/PraisedPicker";

export const StaffVisitsDoc = graphql(`
  query CaseStaffVisits($id: ID!) {
    case(id: $id) { id staffVisits { id outcome outcomeLabel note at staff { id displayName } } }
  }
`);

export const RecordStaffVisitDoc = graphql(`
  mutation RecordStaffVisit($caseId: ID!, $userId: ID!, $outcome: StaffVisitOutcome!, $note: String!, $key: String) {
    recordStaffVisit(caseId: $caseId, userId: $userId, outcome: $outcome, note: $note, idempotencyKey: $key) {
      staffVisit { id } errors { code message field }
    }
  }
`);

const OUTCOMES: { value: StaffVisitOutcome; zh: string; en: string }[] = [
  { value: "ACKNOWLEDGED", zh: "已认识问题", en: "Acknowledged" },
  { value: "DISPUTED", zh: "有异议", en: "Disputed" },
  { value: "COACHED", zh: "已辅导", en: "Coached" },
];

interface Values { userId: string; outcome: StaffVisitOutcome; note: string }

function VisitForm({ c, onSaved }: { c: CaseDetailFragment; onSaved: () => void }) {
  const t = useT();
  const me = useAuth().viewer?.user?.id;
  const [form] = Form.useForm<Values>();
  const members = useQuery(ProjectMembersDoc, { projectId: c.project?.id ?? "" }, !c.project?.id);
  const options = useMemo(() => {
    const first = [c.handler, c.assignee].filter((u): u is NonNullable<typeof u> => !!u);
    const rest = members.data?.project?.members ?? [];
    const seen = new Set<string>();
    return [...first, ...rest].filter((u) => u.id !== me && !seen.has(u.id) && seen.add(u.id))
      .map((u) => ({ value: u.id, label: u.displayName }));
  }, [c.handler, c.assignee, members.data, me]);
  const save = useAction("recordStaffVisit", async (key, v: Values) => {
    checkInto(form, (await request(RecordStaffVisitDoc, { caseId: c.id, userId: v.userId, outcome: v.outcome, note: v.note.trim(), key }))
      .recordStaffVisit);
    form.resetFields();
    onSaved();
  });
  return (
    <Form form={form} layout="vertical" disabled={save.busy} data-testid="staff-visit-form" requiredMark={false}
          initialValues={{ userId: c.handler?.id ?? c.assignee?.id, outcome: "ACKNOWLEDGED" }} style={{ marginTop: 8 }}>
      <Form.Item name="userId" label={<L zh="被回访员工" en="Member of staff" />} rules={[{ required: true, message: t("请选择员工", "Pick the person") }]}>
        <Select showSearch optionFilterProp="label" options={options} loading={members.loading} aria-label={t("被回访员工", "Member of staff")}
                data-testid="staff-visit-user" />
      </Form.Item>
      <Form.Item name="outcome" label={<L zh="回访结果" en="Outcome" />}>
        <Radio.Group options={OUTCOMES.map((o) => ({ value: o.value, label: t(o.zh, o.en) }))} aria-label={t("回访结果", "Outcome")} />
      </Form.Item>
      <Form.Item name="note" label={<L zh="回访内容" en="What was said" />}
                 rules={[{ required: true, whitespace: true, message: t("请写明回访内容", "Say what was said") }]}>
        <Input.TextArea rows={2} maxLength={1000} aria-label={t("回访内容", "What was said")} data-testid="staff-visit-note" />
      </Form.Item>
      <Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)} data-testid="staff-visit-save">
        <L zh="登记员工回访" en="Record the visit" />
      </Button>
      <FormError error={save.error} testId="staff-visit-error" />
    </Form>
  );
}

/** For a complaint only: the visits so far and, for case:follow_up holders, the form. */
export function StaffVisits({ c }: { c: CaseDetailFragment }) {
  const t = useT();
  const { viewer } = useAuth();
  const visits = useQuery(StaffVisitsDoc, { id: c.id });
  const mayRecord = can(viewer, "CASE_FOLLOW_UP", c.project?.id);
  const list = visits.data?.case?.staffVisits ?? [];
  return (
    <Card size="small" style={{ marginTop: 12 }} data-testid="staff-visits"
          title={<span><L zh="员工回访" en="Staff return visits" /> <Typography.Text type="secondary">{list.length}</Typography.Text></span>}>
      <ErrorBanner error={visits.error} onRetry={() => void visits.refetch()} />
      {list.length === 0 ? <span className="fc-beside">{t("尚未回访被投诉员工", "No one has visited the staff yet")}</span> : (
        <List size="small" dataSource={list} renderItem={(v) => (
          <List.Item data-testid="staff-visit">
            <Space direction="vertical" size={0}>
              <Space size={6}><strong>{v.staff?.displayName ?? "—"}</strong><Tag>{v.outcomeLabel}</Tag>
                <span className="fc-num fc-beside">{beijingTime(v.at)}</span></Space>
              <span>{v.note}</span>
            </Space>
          </List.Item>
        )} />
      )}
      {mayRecord && <VisitForm c={c} onSaved={() => void visits.refetch()} />}
    </Card>
  );
}
