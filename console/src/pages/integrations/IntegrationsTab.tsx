// A project's signed inbound integrations of one kind (支付对接, 话务对接, 12345 热线对接): the domain keeps them all
// in one place (domain/integrations), so the console shows them one way. Adding one or rotating
// its secret shows the secret once; 停用 refuses its calls (403) until it is switched on again.
// The kind's page supplies the query's rows, its three mutations, its words and any fields or
// columns of its own (a telephony integration's ring length).
import { Alert, Button, Card, Input, Popconfirm, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState, type ReactNode } from "react";
import type { QueryState } from "../../api/useQuery";
import { L, useT } from "../../i18n";
import { SecretDialog, type Secret } from "../admin/SecretDialog";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading } from "../../ui/states";

export interface IntegrationRow {
  id: string;
  name: string;
  active: boolean;
  lastUsedAt?: string | null;
  inboundPath: string;
}

type Words = [zh: string, en: string];

/** The returned secret, shown once; none when the mutation returned none. */
type Secretive = Promise<string | null | undefined>;

export interface IntegrationKindView<R extends IntegrationRow, E> {
  /** Test ids: the tab, the list, and the prefix of every control's (`<prefix>-add`, `<prefix>-off`…). */
  testIds: { root: string; list: string; prefix: string };
  /** useAction's names, so each mutation's idempotency keys say which one they belong to. */
  actions: { add: string; rotate: string; setActive: string };
  help: ReactNode;
  namePlaceholder: Words;
  nameMaxLength: number;
  empty: Words;
  rotateConfirm: Words;
  offConfirm: Words;
  lastUsed: Words;
  /** The kind's own input beside the name: its value (part of the add's input) and a reset after an add. */
  extra?: { field: ReactNode; value: E; reset: () => void };
  /** The kind's own columns after the name, and at the end before the actions. */
  columns?: { afterName?: ColumnsType<R>; beforeActions?: ColumnsType<R> };
  add: (key: string, name: string, extra: E | undefined) => Secretive;
  rotate: (key: string, row: R) => Secretive;
  setActive: (key: string, row: R, active: boolean) => Promise<unknown>;
}

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—");

function RowActions<R extends IntegrationRow, E>({ kind, row, onSecret, onDone }:
  { kind: IntegrationKindView<R, E>; row: R; onSecret: (s: Secret) => void; onDone: () => void }) {
  const t = useT();
  const id = kind.testIds.prefix;
  const rotate = useAction(kind.actions.rotate, async (key) => {
    const secret = await kind.rotate(key, row);
    if (secret) onSecret({ name: row.name, value: secret });
    onDone();
  });
  const toggle = useAction(kind.actions.setActive, async (key, active: boolean) => {
    await kind.setActive(key, row, active);
    onDone();
  });
  const error = rotate.error ?? toggle.error;
  return (
    <div>
      <Space size={4}>
        <Popconfirm title={t(...kind.rotateConfirm)} okText={t("更换", "Rotate")} cancelText={t("取消", "Cancel")} onConfirm={() => void rotate.run()}>
          <Button size="small" loading={rotate.busy} data-testid={`${id}-rotate`}><L zh="更换密钥" en="Rotate secret" /></Button>
        </Popconfirm>
        {row.active ? (
          <Popconfirm title={t(...kind.offConfirm)} okText={t("停用", "Switch off")} cancelText={t("取消", "Cancel")} onConfirm={() => void toggle.run(false)}>
            <Button size="small" danger loading={toggle.busy} data-testid={`${id}-off`}><L zh="停用" en="Switch off" /></Button>
          </Popconfirm>
        ) : <Button size="small" loading={toggle.busy} onClick={() => void toggle.run(true)} data-testid={`${id}-on`}><L zh="启用" en="Switch on" /></Button>}
      </Space>
      {error && <div><Typography.Text type="danger">{error.message}</Typography.Text></div>}
    </div>
  );
}

export function IntegrationsTab<R extends IntegrationRow, E = undefined>({ kind, q, rows }:
  { kind: IntegrationKindView<R, E>; q: QueryState<unknown>; rows: R[] }) {
  const t = useT();
  const id = kind.testIds.prefix;
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<Secret | null>(null);
  const add = useAction(kind.actions.add, async (key, n: string, extra: E | undefined) => {
    const value = await kind.add(key, n, extra);
    if (value) setSecret({ name: n, value });
    setName("");
    kind.extra?.reset();
    void q.refetch();
  });
  const submit = () => name.trim() && void add.run(name.trim(), kind.extra?.value);
  return (
    <div data-testid={kind.testIds.root}>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} data-testid={`${id}-help`} message={kind.help} />
      <Card size="small" title={<L zh="新建对接" en="New integration" />} style={{ marginBottom: 12 }}>
        <Space wrap>
          <Input style={{ width: 240 }} maxLength={kind.nameMaxLength} value={name} onChange={(e) => setName(e.target.value)} aria-label={t("对接名称", "Name")}
                 placeholder={t(...kind.namePlaceholder)} data-testid={`${id}-name`} onPressEnter={submit} />
          {kind.extra?.field}
          <Button type="primary" disabled={!name.trim()} loading={add.busy} onClick={submit} data-testid={`${id}-add`}>
            <L zh="添加" en="Add" /></Button>
        </Space>
        <FormError error={add.error} />
      </Card>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : (
        <Table<R> size="small" rowKey="id" pagination={false} dataSource={rows}
                  data-testid={kind.testIds.list} locale={{ emptyText: t(...kind.empty) }} columns={[
          { title: <L zh="名称 · 接收地址" en="Name · posts to" />, key: "n", render: (_, r) => (
            <div>
              <div>{r.name}</div>
              <Typography.Text code copyable={{ text: `${window.location.origin}${r.inboundPath}` }} style={{ fontSize: 12 }}
                               data-testid={`${id}-path`}>{r.inboundPath}</Typography.Text>
            </div>) },
          ...(kind.columns?.afterName ?? []),
          { title: <L zh="状态" en="State" />, key: "a", width: 70,
            render: (_, r) => <Tag color={r.active ? "green" : undefined} data-testid={`${id}-state`}>{r.active ? t("启用", "On") : t("停用", "Off")}</Tag> },
          { title: <L zh={kind.lastUsed[0]} en={kind.lastUsed[1]} />, dataIndex: "lastUsedAt", width: 160, render: when },
          ...(kind.columns?.beforeActions ?? []),
          { title: "", key: "act", width: 260, render: (_, r) => <RowActions kind={kind} row={r} onSecret={setSecret} onDone={() => void q.refetch()} /> },
        ]} />
      )}
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}
