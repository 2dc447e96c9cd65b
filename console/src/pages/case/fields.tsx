// The fields of the simpler transition forms; every text a person must write is required.
import { Checkbox, DatePicker, Form, Input, Select, type FormInstance } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { request } from "../../api/client";
import { can, useAuth } from "../../auth";
import type { CaseDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import type { FormValues } from "./actions";
import { RepeatCandidatesDoc } from "./queries";

interface P {
  c: CaseDetailFragment;
  form: FormInstance<FormValues>;
}

export function Required({ name, zh, en, rows = 3, autoFocus }: { name: string; zh: string; en: string; rows?: number; autoFocus?: boolean }) {
  const t = useT();
  return (
    <Form.Item name={name} label={<L zh={zh} en={en} />} rules={[{ required: true, whitespace: true, message: t(`请填写${zh}`, `${en} is required`) }]}>
      <Input.TextArea rows={rows} maxLength={2000} aria-label={t(zh, en)} autoFocus={autoFocus} />
    </Form.Item>
  );
}

const past = (d: dayjs.Dayjs) => d.isBefore(dayjs().startOf("day"));

export function CommitFields() {
  const t = useT();
  return (
    <Form.Item name="due" label={<L zh="承诺时限" en="Promised by" />}
               extra={t("留空 = 按时效标准的完成时限；更晚须主管以上。", "Empty: the policy's deadline; later needs a supervisor.")}>
      <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" disabledDate={past} aria-label={t("承诺时限", "Promised by")} />
    </Form.Item>
  );
}

export function ReasonField() {
  return <Required name="reason" zh="原因" en="Reason" autoFocus />;
}

export function NoteField() {
  return <Required name="note" zh="驳回意见" en="Note" autoFocus />;
}

export function DeclineReasonField() {
  return <Required name="reason" zh="婉拒原因" en="Why decline" autoFocus />;
}

export function ResultField() {
  return <Required name="result" zh="处理结果" en="Result" autoFocus />;
}

export function MissPromiseFields() {
  const t = useT();
  return (
    <>
      <Required name="apology" zh="致歉" en="Apology" rows={2} autoFocus />
      <Required name="reason" zh="原因" en="Reason" rows={2} />
      <Required name="remedy" zh="补救措施" en="Remedy" rows={2} />
      <Form.Item name="newDue" label={<L zh="新时限" en="New deadline" />} rules={[{ required: true, message: t("请选择新时限", "Pick the new deadline") }]}>
        <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" disabledDate={past} aria-label={t("新时限", "New deadline")} />
      </Form.Item>
    </>
  );
}

export function CancelFields({ c }: P) {
  const { viewer } = useAuth();
  const supervisor = can(viewer, "CASE_SUPERVISE", c.project?.id);
  return (
    <>
      <Required name="reason" zh="撤销原因" en="Reason" autoFocus />
      <Form.Item name="byResident" valuePropName="checked"
                 extra={supervisor ? undefined : <L zh="只有业主撤诉或主管可以撤销工单。" en="Only the resident's withdrawal or a supervisor cancels." />}>
        <Checkbox disabled={!supervisor}><L zh="业主撤诉" en="Withdrawn by the resident" /></Checkbox>
      </Form.Item>
    </>
  );
}

export function RepeatFields({ c }: P) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = async (text: string) => {
    if (!text.trim()) return;
    const found = await request(RepeatCandidatesDoc, { filter: { projectId: c.project?.id ?? null, text } });
    setOptions(found.cases.edges.map((e) => e.node).filter((n) => n.id !== c.id)
      .map((n) => ({ value: n.id, label: `${n.number} ${n.description.slice(0, 30)}` })));
  };
  return (
    <Form.Item name="earlier" label={<L zh="较早的工单" en="Earlier case" />} rules={[{ required: true, message: t("请选择较早的工单", "Pick the earlier case") }]}>
      <Select showSearch filterOption={false} onSearch={(v) => void search(v)} options={options} autoFocus
              placeholder={t("输入编号或描述搜索", "Type a number or words")} aria-label={t("较早的工单", "Earlier case")} />
    </Form.Item>
  );
}
