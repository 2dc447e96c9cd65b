// 起草通知 A notice's draft, new or rewritten (a returned one too): title, kind, body with a character
// count, audience — the whole project, some buildings, some flats found by number —, publish and
// expiry times (an emergency or outage needs an expiry), the channels that hear of it, pinned.
// Saved as a draft; submitting it is the detail's button. Its own idempotency key per draft.
import { Button, DatePicker, Form, Input, Segmented, Select, Space, Switch, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useRef, useState } from "react";
import { request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { NoticeAudience, NoticeDetailFragment, NoticeInput, NoticeKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { checkInto, FormError, submitForm, useAction } from "../../ui/action";
import { formKeys } from "../../ui/keys";
import { AUDIENCES, KINDS } from "./labels";
import { DraftNoticeDoc, NoticeBuildingsDoc, NoticeChannelsDoc, NoticeFlatsDoc, UpdateNoticeDoc } from "./queries";

interface Values {
  title: string;
  kind: NoticeKind;
  body: string;
  audience: NoticeAudience;
  buildingIds: string[];
  unitIds: string[];
  publishAt: Dayjs | null;
  expiresAt: Dayjs | null;
  channelIds: string[];
  pinned: boolean;
}

/** Flats by part of their number (callerLookup's search), several at once. */
function FlatsPicker({ projectId, value, onChange }: { projectId: string; value?: string[]; onChange?: (v: string[]) => void }) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>(() => (value ?? []).map((id) => ({ value: id, label: id })));
  const latest = useRef(0);
  const search = async (typed: string) => {
    const ticket = ++latest.current;
    if (!/\d/.test(typed)) return;
    const found = await request(NoticeFlatsDoc, { flat: typed, projectId }).catch(() => null);
    if (ticket !== latest.current || !found) return;
    setOptions((old) => [...old.filter((o) => value?.includes(o.value)),
      ...found.callerLookup.units.filter((u) => !value?.includes(u.id)).map((u) => ({ value: u.id, label: u.label }))]);
  };
  return <Select mode="multiple" showSearch={{ filterOption: false, onSearch: (s) => void search(s) }} value={value} onChange={onChange}
                 options={options} data-testid="notice-units" aria-label={t("房屋", "Flats")}
                 placeholder={t("输入房号查找，如 3-2-1502", "Type a flat, e.g. 3-2-1502")} />;
}

export function NoticeForm({ projectId, editing, onSaved, onCancel }: {
  projectId: string; editing: NoticeDetailFragment | null; onSaved: (n: NoticeDetailFragment) => void; onCancel: () => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const audience = Form.useWatch("audience", form);
  const kind = Form.useWatch("kind", form);
  const body = Form.useWatch("body", form) ?? "";
  const buildings = useQuery(NoticeBuildingsDoc, { projectId });
  // Channels are the admin's to set up; a drafter who may not list them drafts without (the API says which are valid).
  const channels = useQuery(NoticeChannelsDoc, {});
  const channelOptions = (channels.data?.deliveryChannels ?? [])
    .filter((c) => c.active && (!c.projectId || c.projectId === projectId))
    .map((c) => ({ value: c.id, label: `${c.name} · ${c.kindLabel}` }));

  const save = useAction(editing ? "updateNotice" : "draftNotice", async (key, v: Values) => {
    const input: NoticeInput = {
      title: v.title, body: v.body, kind: v.kind, audience: v.audience, pinned: v.pinned,
      buildingIds: v.audience === "BUILDINGS" ? v.buildingIds ?? [] : [], unitIds: v.audience === "UNITS" ? v.unitIds ?? [] : [],
      publishAt: v.publishAt ? v.publishAt.toISOString() : null, expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
      channelIds: v.channelIds ?? [], attachments: [],
    };
    const payload = editing
      ? (await request(UpdateNoticeDoc, { id: editing.id, input, key })).updateNotice
      : (await request(DraftNoticeDoc, { projectId, input, key })).draftNotice;
    const saved = checkInto(form, payload).notice;
    if (saved) onSaved(saved);
  });
  const submit = () => void submitForm(form, save);
  useEffect(() => form.setFields([{ name: "expiresAt", errors: [] }]), [kind, form]);

  const initial: Values = editing ? {
    title: editing.title, kind: editing.kind, body: editing.body, audience: editing.audience, buildingIds: editing.buildingIds,
    unitIds: editing.unitIds, publishAt: editing.publishAt ? dayjs(editing.publishAt) : null,
    expiresAt: editing.expiresAt ? dayjs(editing.expiresAt) : null, channelIds: editing.channelIds, pinned: editing.pinned,
  } : { title: "", kind: "GENERAL", body: "", audience: "PROJECT", buildingIds: [], unitIds: [], publishAt: null, expiresAt: null,
        channelIds: [], pinned: false };
  const required = { required: true, message: t("必填", "Required") };
  const urgent = kind === "EMERGENCY" || kind === "OUTAGE";
  return (
    <div onKeyDown={formKeys(submit, onCancel)} data-testid="notice-form">
      <Typography.Title level={5}>{editing ? <L zh="修改草稿" en="Rewrite the draft" /> : <L zh="起草通知" en="Draft a notice" />}</Typography.Title>
      <Form<Values> form={form} layout="vertical" initialValues={initial} disabled={save.busy} requiredMark>
        <Form.Item name="kind" label={t("类型", "Kind")} rules={[required]}>
          <Segmented options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <Form.Item name="title" label={t("标题", "Title")} rules={[required]}>
          <Input maxLength={100} showCount data-testid="notice-title" />
        </Form.Item>
        <Form.Item name="body" label={<span>{t("正文", "Text")} <span className="fc-num">({body.length}/5000)</span></span>} rules={[required]}>
          <Input.TextArea rows={5} maxLength={5000} data-testid="notice-body" />
        </Form.Item>
        <Form.Item name="audience" label={t("发送范围", "Audience")} rules={[required]}>
          <Segmented options={AUDIENCES.map((a) => ({ value: a.value, label: t(a.zh, a.en) }))} data-testid="notice-audience" />
        </Form.Item>
        {audience === "BUILDINGS" && (
          <Form.Item name="buildingIds" label={t("楼栋", "Buildings")} rules={[{ required: true, type: "array", min: 1, message: t("至少选一栋", "Choose at least one") }]}>
            <Select mode="multiple" optionFilterProp="label" data-testid="notice-buildings" loading={buildings.loading}
                    options={(buildings.data?.buildings.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
          </Form.Item>
        )}
        {audience === "UNITS" && (
          <Form.Item name="unitIds" label={t("房屋", "Flats")} rules={[{ required: true, type: "array", min: 1, message: t("至少选一户", "Choose at least one") }]}>
            <FlatsPicker projectId={projectId} />
          </Form.Item>
        )}
        <Space wrap align="start">
          <Form.Item name="publishAt" label={t("定时发布（空：审核通过即发布）", "Publish at (empty: on approval)")}>
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), "day")} />
          </Form.Item>
          <Form.Item name="expiresAt" label={urgent ? t("失效时间（紧急/停水停电必填）", "Expires (required for emergencies)") : t("失效时间", "Expires")}
                     rules={urgent ? [required] : []}>
            <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), "day")} />
          </Form.Item>
        </Space>
        <Form.Item name="channelIds" label={t("同时通知渠道", "Channels told")}
                   extra={channels.error ? t("无权查看渠道：仅在App内发布", "Channels cannot be listed: the app only") : undefined}>
          <Select mode="multiple" optionFilterProp="label" options={channelOptions} placeholder={t("仅App", "The app only")} />
        </Form.Item>
        <Form.Item name="pinned" label={t("置顶", "Pinned")} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Space>
          <Button type="primary" onClick={submit} loading={save.busy} data-testid="notice-save"><L zh="保存草稿" en="Save draft" /> (Ctrl+Enter)</Button>
          <Button onClick={onCancel}><L zh="取消" en="Cancel" /></Button>
        </Space>
      </Form>
      <FormError error={save.error} />
    </div>
  );
}
