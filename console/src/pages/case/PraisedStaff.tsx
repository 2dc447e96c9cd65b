// 受表扬员工 The staff a praise names (docs/centre-day.md §7), shown on a praise's case page; whoever
// may follow up on the case (case:follow_up) changes them with the intake's picker. A change recounts
// the people's figures (人员考核) of the case's month.
import { Button, Card, Form, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import { graphql } from "../../gql";
import type { CaseDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner } from "../../ui/states";
import { PraisedPicker } from "../intake/PraisedPicker";

export const CasePraisedDoc = graphql(`
  query CasePraised($id: ID!) { case(id: $id) { id praisedStaff { id username displayName } } }
`);

export const SetPraisedStaffDoc = graphql(`
  mutation SetPraisedStaff($caseId: ID!, $userIds: [ID!]!, $key: String) {
    setPraisedStaff(caseId: $caseId, userIds: $userIds, idempotencyKey: $key) {
      case { id praisedStaff { id username displayName } } errors { code message field reason }
    }
  }
`);

interface Values { praisedUserIds?: string[] }

export function PraisedStaff({ c }: { c: CaseDetailFragment }) {
  const t = useT();
  const { viewer } = useAuth();
  const praised = useQuery(CasePraisedDoc, { id: c.id });
  // The picker lists the project's members (staff:read): without it a save would name no one.
  const mayChange = can(viewer, "CASE_FOLLOW_UP", c.project?.id) && can(viewer, "STAFF_READ", c.project?.id);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<Values>();
  const people = praised.data?.case?.praisedStaff ?? [];
  const save = useAction("setPraisedStaff", async (key, v: Values) => {
    check((await request(SetPraisedStaffDoc, { caseId: c.id, userIds: v.praisedUserIds ?? [], key })).setPraisedStaff);
    setEditing(false);
    void praised.refetch();
  });
  return (
    <Card size="small" style={{ marginTop: 12 }} data-testid="praised-staff"
          title={<span><L zh="受表扬员工" en="Staff praised" /> <Typography.Text type="secondary">{people.length}</Typography.Text></span>}
          extra={mayChange && !editing && (
            <Button size="small" type="link" onClick={() => { form.setFieldsValue({ praisedUserIds: people.map((p) => p.id) }); setEditing(true); }}
                    data-testid="praised-staff-edit">{t("修改", "Change")}</Button>
          )}>
      <ErrorBanner error={praised.error} onRetry={() => void praised.refetch()} />
      {!editing && (people.length === 0
        ? <span className="fc-beside">{t("未指明受表扬员工，不计入任何人的表扬数", "Names no one: counted as nobody's praise")}</span>
        : <Space size={[4, 4]} wrap>{people.map((p) => <Tag key={p.id} data-testid="praised-person">{p.displayName}</Tag>)}</Space>)}
      {editing && (
        <Form form={form} layout="vertical" disabled={save.busy} requiredMark={false} data-testid="praised-staff-form">
          <PraisedPicker projectId={c.project?.id ?? ""} />
          <Space>
            <Button type="primary" loading={save.busy} onClick={() => void submitForm(form, save)} data-testid="praised-staff-save">
              {t("保存", "Save")}
            </Button>
            <Button onClick={() => setEditing(false)}>{t("取消", "Cancel")}</Button>
          </Space>
        </Form>
      )}
      <FormError error={save.error} testId="praised-staff-error" />
    </Card>
  );
}
