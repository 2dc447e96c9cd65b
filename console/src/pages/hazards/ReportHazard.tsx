// 上报隐患 Put a hazard seen on the estate on a project's register: title, category, grade (it
// gives the deadline), place, description and photo links. Offered to hazard:report holders on
// the project; the API checks again. Its own idempotency key; the API's error under the form.
import { Form, Input, Select } from "antd";
import { request } from "../../api/client";
import type { HazardCategory, HazardGrade, HazardRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, submitForm, useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { CATEGORIES, GRADES, httpsLinks, ReportHazardDoc } from "./queries";

interface Values { title: string; category: HazardCategory; grade: HazardGrade; place: string; description: string; links: string }

export function ReportHazard({ projectId, onClose }: { projectId: string; onClose: (made?: HazardRowFragment) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const report = useAction("reportHazard", async (key, v: Values) => {
    const p = checkInto(form, (await request(ReportHazardDoc, {
      key,
      input: { projectId, source: "REPORT", title: v.title.trim(), category: v.category, grade: v.grade, place: (v.place ?? "").trim(),
               description: (v.description ?? "").trim(), photos: httpsLinks(v.links ?? "") },
    })).reportHazard);
    onClose(p.hazard ?? undefined);
  });
  return (
    <FormDrawer open title={<L zh="上报隐患" en="Report a hazard" />} busy={report.busy} error={report.error}
                onSubmit={() => void submitForm(form, report)} onClose={() => onClose()} testId="hazard-report">
      <Form<Values> form={form} layout="vertical" disabled={report.busy} initialValues={{ grade: "GENERAL" }}>
        <Form.Item name="title" label={t("隐患", "Hazard")}
                   rules={[{ required: true, whitespace: true, message: t("请写明隐患", "Say what the hazard is") }, { max: 100 }]}>
          <Input maxLength={100} showCount data-testid="hazard-report-title" />
        </Form.Item>
        <Form.Item name="category" label={t("类别", "Category")} rules={[{ required: true, message: t("请选择类别", "Choose a category") }]}>
          <Select data-testid="hazard-report-category" options={CATEGORIES.map((c) => ({ value: c.value, label: t(c.zh, c.en) }))} />
        </Form.Item>
        <Form.Item name="grade" label={t("等级（决定整改期限）", "Grade (gives the deadline)")} rules={[{ required: true }]}>
          <Select data-testid="hazard-report-grade" options={GRADES.map((g) => ({ value: g.value, label: t(g.zh, g.en) }))} />
        </Form.Item>
        <Form.Item name="place" label={t("位置", "Place")} rules={[{ max: 200 }]}>
          <Input maxLength={200} placeholder={t("如：地下车库B2消防泵房", "e.g. B2 fire pump room")} data-testid="hazard-report-place" />
        </Form.Item>
        <Form.Item name="description" label={t("描述", "Description")} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="hazard-report-description" />
        </Form.Item>
        <Form.Item name="links" label={t("照片链接（每行一个 https://，最多 9 个）", "Photo links (one https:// per line, up to 9)")}
                   rules={[{ validator: async (_, v?: string) => {
                     const links = httpsLinks(v ?? "");
                     if (links.length > 9) throw new Error(t("最多 9 个链接", "At most nine links"));
                     if (links.some((l) => !/^https:\/\/\S+$/.test(l))) throw new Error(t("链接须以 https:// 开头", "Links must start with https://"));
                   } }]}>
          <Input.TextArea rows={2} placeholder="https://" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
