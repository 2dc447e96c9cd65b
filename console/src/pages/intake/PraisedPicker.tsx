// 受表扬员工 For a praise (表扬): the staff it names, picked from the project's members; counted in
// their people's figures (人员考核). Shown only for the kind praise and to whoever may read staff.
import { Form, Select } from "antd";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import { graphql } from "../../gql";
import { L, useT } from "../../i18n";

export const ProjectMembersDoc = graphql(`
  query ProjectMembers($projectId: ID!) { project(id: $projectId) { id members { id username displayName } } }
`);

export function PraisedPicker({ projectId }: { projectId: string }) {
  const t = useT();
  const { viewer } = useAuth();
  const allowed = can(viewer, "STAFF_READ", projectId);
  const members = useQuery(ProjectMembersDoc, { projectId }, !allowed || !projectId);
  if (!allowed) return null;
  return (
    <Form.Item name="praisedUserIds" label={<L zh="受表扬员工" en="Praised" />}
               extra={t("计入其人员考核的表扬数", "Counted as praise in their people's figures")}>
      <Select mode="multiple" showSearch optionFilterProp="label" maxCount={20} loading={members.loading}
              aria-label={t("受表扬员工", "Staff praised")} data-testid="intake-praised"
              options={members.data?.project?.members.map((m) => ({ value: m.id, label: `${m.displayName} ${m.username}` }))} />
    </Form.Item>
  );
}
