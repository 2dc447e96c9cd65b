// 接口密钥 API keys: name, prefix, reach (projects), what each may do (its grant, or what its access
// gives), state; a new key's secret is shown once in a dialog with a copy button and a warning, kept
// only in that dialog's state and never logged; revoking takes effect at once.
import { Button, Checkbox, DatePicker, Form, Input, Radio, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { ApiKeyAccess, ApiKeysQuery, Permission } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { ProjectName } from "../../ui/ProjectName";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FormDrawer } from "../../ui/FormDrawer";
import { SecretDialog, type Secret } from "./SecretDialog";
import { AdminProjectsDoc, ApiKeysDoc, CreateApiKeyDoc, RevokeApiKeyDoc } from "./queries";

type Key = ApiKeysQuery["organization"]["apiKeys"][number];
interface KeyValues { name: string; access: ApiKeyAccess; projectIds?: string[]; expiresAt?: Dayjs | null; permissions?: Permission[] }

// What createApiKey(permissions) may grant (tenants/roles.py API_KEY_GRANTABLE).
const GRANTABLE: { value: Permission; zh: string }[] = [
  { value: "CASE_CREATE", zh: "登记工单" }, { value: "CASE_COMMIT", zh: "承诺" }, { value: "CASE_DISPATCH", zh: "派单" },
  { value: "CASE_FOLLOW_UP", zh: "回访" }, { value: "CASE_REFER", zh: "转办" }, { value: "PROJECT_UPDATE", zh: "维护项目" },
  { value: "STAFF_MANAGE", zh: "管理员工" },
  // An owner app's backend: whoever holds the key can sign in any resident of its projects (docs/owner-app.md).
  { value: "RESIDENT_SIGN_IN", zh: "住户登录（业主App，可代任一住户登录）" },
];
const when = (at: string | null | undefined) => at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" }) : "—";

export default function KeysTab() {
  const t = useT();
  const keys = useQuery(ApiKeysDoc, {});
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const revoke = useAction("revokeApiKey", async (key, id: string) => {
    check((await request(RevokeApiKeyDoc, { id, key })).revokeApiKey);
    await keys.refetch();
  });

  const columns: ColumnsType<Key> = [
    { title: <L zh="名称" en="Name" />, dataIndex: "name", width: 140 },
    { title: <L zh="前缀" en="Prefix" />, dataIndex: "prefix", width: 110, render: (p: string) => <code>{p}…</code> },
    { title: <L zh="访问" en="Access" />, dataIndex: "access", width: 80, render: (a: string) => a === "READ" ? t("只读", "Read") : t("读写", "Read-write") },
    { title: <L zh="项目" en="Projects" />, dataIndex: "projectIds", width: 140,
      render: (ids: string[] | null) => ids ? ids.map((id) => <div key={id}><ProjectName id={id} /></div>) : t("全部项目", "Every project") },
    { title: <L zh="授权" en="Grants" />, key: "grants",
      render: (_, k) => (
        <Space size={[4, 4]} wrap>
          {!k.grantedPermissions && <Typography.Text type="secondary">{t("按访问级别：", "By access: ")}</Typography.Text>}
          {k.permissions.filter((p) => !p.endsWith("_READ")).map((p) => <Tag key={p}>{p.toLowerCase().replace("_", ":")}</Tag>)}
          {k.permissions.every((p) => p.endsWith("_READ")) && <Tag>{t("只读", "read only")}</Tag>}
        </Space>
      ) },
    { title: <L zh="到期" en="Expires" />, dataIndex: "expiresAt", width: 120, render: when },
    { title: <L zh="最近使用" en="Last used" />, dataIndex: "lastUsedAt", width: 120, render: when },
    { title: <L zh="状态" en="State" />, key: "state", width: 150,
      render: (_, k) => k.revokedAt ? <Tag data-testid="key-revoked">{t("已吊销", "Revoked")} {when(k.revokedAt)}</Tag> : (
        <Space>
          <Tag>{t("有效", "Valid")}</Tag>
          <Button size="small" danger loading={revoke.busy} onClick={() => void revoke.run(k.id)} data-testid={`revoke-${k.name}`}>
            <L zh="吊销" en="Revoke" />
          </Button>
        </Space>
      ) },
  ];

  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="new-key"><L zh="新建密钥" en="New key" /></Button>
      </Space>
      <ErrorBanner error={keys.error} onRetry={() => void keys.refetch()} />
      <FormError error={revoke.error} />
      {keys.loading && !keys.data ? <Loading /> : (keys.data?.organization.apiKeys.length ?? 0) === 0 && !keys.error
        ? <Nothing zh="还没有接口密钥，点击“新建密钥”为对接系统发放一个。" en="No API keys: create one for an integration." />
        : <Table<Key> rowKey="id" columns={columns} dataSource={keys.data?.organization.apiKeys ?? []} pagination={false} data-testid="keys-table" />}
      {creating && <CreateKeyDrawer onClose={() => setCreating(false)}
                                    onCreated={(name, value) => { setCreating(false); setSecret({ name, value }); void keys.refetch(); }} />}
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </div>
  );
}

function CreateKeyDrawer({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string, secret: string) => void }) {
  const t = useT();
  const [form] = Form.useForm<KeyValues>();
  const projects = useQuery(AdminProjectsDoc, {});
  const create = useAction("createApiKey", async (_key, v: KeyValues) => {
    const granted = v.permissions?.length ? v.permissions : null;
    const made = check((await request(CreateApiKeyDoc, {
      input: { name: v.name, access: granted ? "READ_WRITE" : v.access, projectIds: v.projectIds?.length ? v.projectIds : null,
               expiresAt: v.expiresAt?.toISOString() ?? null, permissions: granted },
    })).createApiKey);
    onCreated(v.name, made.secret ?? "");
  });
  const submit = () => submitForm(form, create);
  return (
    <FormDrawer open title={<L zh="新建接口密钥" en="New API key" />} busy={create.busy} error={create.error ?? projects.error}
                onSubmit={() => void submit()} onClose={onClose} testId="key-drawer">
      <Form form={form} name="key" layout="vertical" disabled={create.busy} initialValues={{ access: "READ" }}>
        <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true }]}><Input autoFocus placeholder={t("如：业主APP", "e.g. owner app")} /></Form.Item>
        <Form.Item name="access" label={t("访问级别", "Access")}>
          <Radio.Group options={[{ value: "READ", label: t("只读", "Read") }, { value: "READ_WRITE", label: t("读写", "Read-write") }]} />
        </Form.Item>
        <Form.Item name="projectIds" label={t("项目", "Projects")} extra={t("不选：全部项目", "None chosen: every project")}>
          <Select mode="multiple" allowClear options={(projects.data?.projects.edges ?? []).map((e) => ({ value: e.node.id, label: e.node.name }))} />
        </Form.Item>
        <Form.Item name="permissions" label={t("授权（可选）", "Grant (optional)")}
                   extra={t("选择后密钥只可做这些操作（读写）；不选则按访问级别。", "Chosen: the key may do exactly these (read-write); none: what its access gives.")}>
          <Checkbox.Group options={GRANTABLE.map((g) => ({ value: g.value, label: `${g.zh} ${g.value.toLowerCase().replace("_", ":")}` }))} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t("到期时间（可选）", "Expires (optional)")}>
          <DatePicker showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
