// 推送渠道 Delivery channels (webhooks, e-mail, group robots): switch on and off, add one; below,
// 推送记录 the delivery log.
import { Button, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { ChannelKind, DeliveryChannelsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { TOPICS as TOPIC_LABELS } from "../../ui/labels";
import { ProjectName } from "../../ui/ProjectName";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { DeliveryLog } from "./DeliveryLog";
import { FormDrawer } from "../../ui/FormDrawer";
import { AddChannelDoc, AdminProjectsDoc, ChannelActiveDoc, ChannelsDoc } from "./queries";

type Channel = DeliveryChannelsQuery["deliveryChannels"][number];
interface Values { kind: ChannelKind; name: string; target: string; topics: string[]; secret?: string; minLevel?: string; perMinute: number; projectId?: string }

const KINDS: { value: ChannelKind; label: string }[] = [
  { value: "WEBHOOK", label: "Webhook" }, { value: "EMAIL", label: "邮件 E-mail" },
  { value: "WECOM", label: "企业微信 WeCom" }, { value: "DINGTALK", label: "钉钉 DingTalk" },
];
const TOPICS = ["case.escalated", "case.committed", "case.resolved", "calendar.missing"];
const LEVELS = [{ value: "remind", label: "提醒 remind" }, { value: "l1", label: "L1" }, { value: "l2", label: "L2" }, { value: "l3", label: "L3" }];

export default function ChannelsTab() {
  const t = useT();
  const channels = useQuery(ChannelsDoc, {});
  const [adding, setAdding] = useState(false);
  const toggle = useAction("setDeliveryChannelActive", async (key, c: Channel) => {
    check((await request(ChannelActiveDoc, { id: c.id, active: !c.active, key: `${key}:${c.id}:${!c.active}` })).setDeliveryChannelActive);
    await channels.refetch();
  });

  const columns: ColumnsType<Channel> = [
    { title: <L zh="名称" en="Name" />, dataIndex: "name", width: 140 },
    { title: <L zh="类型" en="Kind" />, dataIndex: "kindLabel", width: 110 },
    { title: <L zh="地址" en="Target" />, dataIndex: "target", ellipsis: true },
    { title: <L zh="事件" en="Topics" />, dataIndex: "topics", render: (ts: string[]) => ts.map((x) => <Tag key={x}>{x}</Tag>) },
    { title: <L zh="级别" en="Level" />, dataIndex: "minLevel", width: 70, render: (l: string | null) => l ?? "—" },
    { title: <L zh="每分钟" en="Per min" />, dataIndex: "perMinute", width: 70, className: "fc-num" },
    { title: <L zh="项目" en="Project" />, dataIndex: "projectId", width: 110, render: (id: string | null) => id ? <ProjectName id={id} /> : t("全部", "All") },
    { title: <L zh="启用" en="Active" />, dataIndex: "active", width: 70,
      render: (_, c) => <Switch size="small" checked={c.active} loading={toggle.busy} onChange={() => void toggle.run(c)} aria-label={t("启用", "Active")} /> },
  ];

  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setAdding(true)} data-testid="new-channel"><L zh="添加渠道" en="Add channel" /></Button>
      </Space>
      <ErrorBanner error={channels.error} onRetry={() => void channels.refetch()} />
      <FormError error={toggle.error} />
      {channels.loading && !channels.data ? <Loading rows={3} /> : (channels.data?.deliveryChannels.length ?? 0) === 0 && !channels.error
        ? <Nothing zh="还没有推送渠道，点击“添加渠道”接入企业微信、钉钉、邮件或 Webhook。" en="No channels: add one." />
        : <Table<Channel> rowKey="id" size="small" columns={columns} dataSource={channels.data?.deliveryChannels ?? []} pagination={false} />}
      {adding && <ChannelDrawer onClose={() => setAdding(false)} onDone={() => void channels.refetch()} />}
      <Typography.Title level={5} style={{ marginTop: 24 }}><L zh="推送记录" en="Delivery log" /></Typography.Title>
      <DeliveryLog />
    </div>
  );
}

function ChannelDrawer({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const projects = useQuery(AdminProjectsDoc, {});
  const add = useAction("addDeliveryChannel", async (key, v: Values) => {
    check((await request(AddChannelDoc, {
      key,
      input: { kind: v.kind, name: v.name, target: v.target, topics: v.topics, secret: v.secret || null, minLevel: v.minLevel ?? null,
               perMinute: v.perMinute, projectId: v.projectId ?? null },
    })).addDeliveryChannel);
  });
  const submit = async () => {
    if (await submitForm(form, add)) {
      onDone();
      onClose();
    }
  };
  return (
    <FormDrawer open title={<L zh="添加推送渠道" en="Add a delivery channel" />} busy={add.busy} error={add.error ?? projects.error}
                onSubmit={() => void submit()} onClose={onClose} testId="channel-drawer">
      <Form form={form} name="channel" layout="vertical" disabled={add.busy} initialValues={{ kind: "WECOM", perMinute: 20, topics: ["case.escalated"] }}>
        <Form.Item name="kind" label={t("类型", "Kind")} rules={[{ required: true }]}><Select options={KINDS} /></Form.Item>
        <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="target" label={t("地址", "Target")} rules={[{ required: true }]} extra={t("公网 https 地址或邮箱", "A public https URL or an e-mail address")}>
          <Input />
        </Form.Item>
        <Form.Item name="topics" label={t("事件", "Topics")} rules={[{ required: true }]}>
          <Select mode="tags" options={TOPICS.map((x) => ({ value: x, label: TOPIC_LABELS[x] ? `${t(TOPIC_LABELS[x].zh, TOPIC_LABELS[x].en)} ${x}` : x }))} />
        </Form.Item>
        <Form.Item name="minLevel" label={t("最低升级级别（升级事件）", "Lowest escalation level")}><Select allowClear options={LEVELS} /></Form.Item>
        <Form.Item name="secret" label={t("签名密钥（可选，不会再显示）", "Signing secret (optional, never shown again)")}>
          <Input.Password autoComplete="off" />
        </Form.Item>
        <Form.Item name="perMinute" label={t("每分钟上限", "Per minute")}><InputNumber min={1} max={600} /></Form.Item>
        <Form.Item name="projectId" label={t("项目", "Project")} extra={t("不选：全部项目", "None: every project")}>
          <Select allowClear options={(projects.data?.projects.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
