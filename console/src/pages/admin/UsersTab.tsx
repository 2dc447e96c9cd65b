// 用户与角色 Users and roles: the company's logins (cursor pages), new logins, roles granted and
// taken back per project; below, a project's staff with phones masked until revealed (audited).
import { Button, Form, Input, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { AdminUsersQuery, Role } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FormDrawer } from "../../ui/FormDrawer";
import { AdminProjectsDoc, AssignRoleDoc, CreateUserDoc, RevokeRoleDoc, RoleListDoc, UsersDoc } from "./queries";
import { ORG_WIDE, roleLabel } from "./roles";
import { StaffPanel } from "./StaffPanel";

type User = AdminUsersQuery["organization"]["users"]["edges"][number]["node"];

export default function UsersTab() {
  const t = useT();
  const { viewer } = useAuth();
  const first = useQuery(UsersDoc, { after: null });
  const projects = useQuery(AdminProjectsDoc, {});
  const [users, setUsers] = useState<User[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<User | null>(null);
  const projectList = projects.data?.projects.edges.map((e) => e.node) ?? [];

  useEffect(() => {
    const page = first.data?.organization.users;
    if (page) {
      setUsers(page.edges.map((e) => e.node));
      setNext(page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null);
    }
  }, [first.data]);

  const more = useAction("moreUsers", async (_key, after: string) => {
    const page = (await request(UsersDoc, { after })).organization.users;
    setUsers((u) => [...u, ...page.edges.map((e) => e.node)]);
    setNext(page.pageInfo.hasNextPage ? page.pageInfo.endCursor ?? null : null);
  });
  const revoke = useAction("revokeRole", async (key, id: string) => {
    check((await request(RevokeRoleDoc, { id, key })).revokeRole);
    await first.refetch();
  });

  const assign = can(viewer, "ROLE_ASSIGN");
  const columns: ColumnsType<User> = [
    { title: <L zh="账号" en="Username" />, dataIndex: "username", width: 140 },
    { title: <L zh="姓名" en="Name" />, dataIndex: "displayName", width: 120 },
    { title: <L zh="状态" en="State" />, dataIndex: "active", width: 80, render: (a: boolean) => <Tag>{a ? t("启用", "Active") : t("停用", "Inactive")}</Tag> },
    {
      title: <L zh="角色" en="Roles" />, key: "roles",
      render: (_, u) => (
        <Space size={[4, 4]} wrap>
          {u.roles.map((g) => (
            <Tag key={g.assignmentId ?? g.role} data-testid="role-grant" closable={assign && !!g.assignmentId && u.id !== viewer?.user?.id}
                 onClose={(e) => {
                   e.preventDefault();
                   if (g.assignmentId) void revoke.run(g.assignmentId);
                 }}>
              {g.roleLabel}{g.project ? ` · ${g.project.name}` : ` · ${t("全公司", "Company-wide")}`}
            </Tag>
          ))}
          {assign && <Button size="small" onClick={() => setGranting(u)} data-testid={`grant-${u.username}`}><L zh="授予角色" en="Grant role" /></Button>}
        </Space>
      ),
    },
  ];

  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        {can(viewer, "USER_MANAGE") && <Button type="primary" onClick={() => setCreating(true)} data-testid="new-user"><L zh="新增账号" en="New login" /></Button>}
        {first.data && <Typography.Text type="secondary">{t(`共 ${first.data.organization.users.totalCount} 个账号`, `${first.data.organization.users.totalCount} logins`)}</Typography.Text>}
      </Space>
      <ErrorBanner error={first.error} onRetry={() => void first.refetch()} />
      <FormError error={revoke.error ?? more.error} />
      {first.loading && !first.data ? <Loading /> : users.length === 0 && !first.error
        ? <Nothing zh="还没有账号。" en="No logins yet." /> : (
          <Table<User> rowKey="id" columns={columns} dataSource={users} pagination={false} data-testid="users-table" />
        )}
      {next && <Button style={{ marginTop: 8 }} loading={more.busy} onClick={() => void more.run(next)}><L zh="加载更多" en="Load more" /></Button>}
      {creating && <CreateUserDrawer onClose={() => setCreating(false)} onDone={() => void first.refetch()} />}
      {granting && <GrantDrawer user={granting} projects={projectList} onClose={() => setGranting(null)} onDone={() => void first.refetch()} />}
      <StaffPanel projects={projectList} />
    </div>
  );
}

function CreateUserDrawer({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ username: string; displayName: string; password: string }>();
  const create = useAction("createUser", async (key, v: { username: string; displayName: string; password: string }) => {
    check((await request(CreateUserDoc, { input: v, key })).createUser);
  });
  const submit = async () => {
    if (await submitForm(form, create)) {
      onDone();
      onClose();
    }
  };
  return (
    <FormDrawer open title={<L zh="新增账号" en="New login" />} busy={create.busy} error={create.error}
                onSubmit={() => void submit()} onClose={onClose} testId="user-drawer">
      <Form form={form} name="user" layout="vertical" disabled={create.busy}>
        <Form.Item name="username" label={t("账号", "Username")} rules={[{ required: true }]}><Input autoFocus /></Form.Item>
        <Form.Item name="displayName" label={t("姓名", "Name")} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="password" label={t("初始密码", "Initial password")} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}

interface GrantValues { role: Role; projectId?: string }

function GrantDrawer({ user, projects, onClose, onDone }: { user: User; projects: { id: string; name: string }[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<GrantValues>();
  const roles = useQuery(RoleListDoc, {});
  const role = Form.useWatch("role", form);
  const grant = useAction("assignRole", async (key, v: GrantValues) => {
    check((await request(AssignRoleDoc, { input: { userId: user.id, role: v.role, projectId: ORG_WIDE.has(v.role) ? null : v.projectId }, key })).assignRole);
  });
  const submit = async () => {
    if (await submitForm(form, grant)) {
      onDone();
      onClose();
    }
  };
  const orgWide = !!role && ORG_WIDE.has(role);
  return (
    <FormDrawer open title={<span><L zh="授予角色" en="Grant a role" /> · {user.displayName}</span>} busy={grant.busy}
                error={grant.error ?? roles.error} onSubmit={() => void submit()} onClose={onClose} testId="grant-drawer">
      <Form form={form} name="grant" layout="vertical" disabled={grant.busy}>
        <Form.Item name="role" label={t("角色", "Role")} rules={[{ required: true }]}>
          <Select loading={roles.loading} data-testid="grant-role"
                  options={(roles.data?.__type?.enumValues ?? []).map((r) => ({ value: r.name as Role, label: roleLabel(r.name) }))} />
        </Form.Item>
        <Form.Item name="projectId" label={t("项目", "Project")} rules={[{ required: !orgWide, message: t("项目角色须选择项目", "A project role needs a project") }]}
                   extra={orgWide ? t("总部角色适用于全公司，无需选择项目。", "A headquarters role spans the company: no project.") : undefined}>
          <Select disabled={orgWide} data-testid="grant-project" options={projects.map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
