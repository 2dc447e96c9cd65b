// 通知公告 A project's notices to its residents (docs/resident-services.md §5, §11): the list by state
// and kind, a draft's form (title, kind, body, audience — the project, buildings or flats —, publish
// and expiry times, channels), submit → 通过 / 退回 for notice:publish holders → published or
// scheduled; 撤回 with a reason; a published notice's 已读 / 送达 and its unread list with App users
// marked, exported as Excel. Drafts and pending notices are shown to drafters and approvers only
// (the API decides). The project, state and selected notice live in the URL.
import { Button, Card, Segmented, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo, useState, type HTMLAttributes } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { NoticeDetailFragment, NoticeKind, NoticeState } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ProjectSelect } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { KINDS, STATES, when } from "./labels";
import { NoticeDetail } from "./NoticeDetail";
import { NoticeForm } from "./NoticeForm";
import { NoticeProjectsDoc, NoticesDoc } from "./queries";

export default function NoticesPage() {
  const t = useT();
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projects = useQuery(NoticeProjectsDoc, {});
  const list = useMemo(() => projects.data?.projects.edges.map((e) => e.node) ?? [], [projects.data]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const state = (STATES.find((s) => s.value === params.get("state"))?.value ?? null) as NoticeState | null;
  const kind = (KINDS.find((k) => k.value === params.get("kind"))?.value ?? null) as NoticeKind | null;
  const q = useQuery(NoticesDoc, { projectId: projectId ?? "", state, kind }, !projectId);
  const [rows, setRows] = useState<NoticeDetailFragment[]>([]);
  const [mode, setMode] = useState<"view" | "new" | "edit">("view");
  useEffect(() => {
    if (q.data) setRows(q.data.notices.edges.map((e) => e.node));
  }, [q.data]);
  const selected = rows.find((n) => n.id === params.get("notice")) ?? rows[0] ?? null;
  const mayDraft = can(viewer, "NOTICE_DRAFT", projectId);
  const mayPublish = can(viewer, "NOTICE_PUBLISH", projectId);

  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  });
  const changed = (n: NoticeDetailFragment) => {
    // A notice that left the filtered state stays in view until the next reload, with its new state.
    setRows((old) => (old.some((x) => x.id === n.id) ? old.map((x) => (x.id === n.id ? n : x)) : [n, ...old]));
    set({ notice: n.id });
    setMode("view");
  };

  const columns: ColumnsType<NoticeDetailFragment> = [
    { title: <L zh="类型" en="Kind" />, key: "k", width: 86, render: (_, n) => <Tag>{n.kindLabel}</Tag> },
    { title: <L zh="标题" en="Title" />, key: "t", ellipsis: true,
      render: (_, n) => <span>{n.pinned && <Tag>{t("置顶", "Pinned")}</Tag>}{n.title}</span> },
    { title: <L zh="状态" en="State" />, key: "s", width: 86, render: (_, n) => <Tag data-testid="notice-state">{n.stateLabel}</Tag> },
    { title: <L zh="已读/送达" en="Read/reached" />, key: "r", width: 96, align: "right",
      render: (_, n) => (n.recipientCount === null ? "—" : <span className="fc-num">{n.readUnitCount}/{n.recipientCount}</span>) },
    { title: <L zh="时间" en="Time" />, key: "at", width: 128,
      render: (_, n) => <span className="fc-num">{when(n.publishedAt ?? n.publishAt ?? n.createdAt)}</span> },
  ];

  const side = mode !== "view" && projectId ? (
    <Card size="small">
      <NoticeForm key={mode === "edit" ? selected?.id : "new"} projectId={projectId} editing={mode === "edit" ? selected : null}
                  onSaved={changed} onCancel={() => setMode("view")} />
    </Card>
  ) : selected ? (
    <NoticeDetail key={selected.id} notice={selected} mayDraft={mayDraft} mayPublish={mayPublish} onChanged={changed}
                  onEdit={() => setMode("edit")}
                  onCounts={(recipientCount, readUnitCount) => setRows((old) => old.map((x) => (x.id === selected.id
                    && (x.recipientCount !== recipientCount || x.readUnitCount !== readUnitCount) ? { ...x, recipientCount, readUnitCount } : x)))} />
  ) : null;

  return (
    <div data-testid="notices-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="通知公告" en="Notices" /></Typography.Title>
        <ProjectSelect projects={list} value={projectId} testId="notices-project"
                       onChange={(v: string) => set({ project: v, notice: null })} />
        <Segmented value={state ?? "ALL"} aria-label={t("状态", "State")} data-testid="notices-state"
                   onChange={(v) => set({ state: v === "ALL" ? null : String(v), notice: null })}
                   options={[{ value: "ALL", label: t("全部", "All") }, ...STATES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))]} />
        <Select style={{ width: 120 }} allowClear value={kind ?? undefined} placeholder={t("全部类型", "Any kind")} aria-label={t("类型", "Kind")}
                options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))}
                onChange={(v: string | undefined) => set({ kind: v ?? null, notice: null })} />
        {mayDraft && <Button type="primary" onClick={() => setMode("new")} data-testid="notice-new"><L zh="起草通知" en="Draft a notice" /></Button>}
      </Space>
      <ErrorBanner error={projects.error ?? q.error} onRetry={() => void (projects.error ? projects.refetch() : q.refetch())} />
      {(projects.loading && !projects.data) || (q.loading && !q.data) ? <Loading /> : !projectId ? (
        <Nothing zh="没有可查看的项目。" en="No project to read." />
      ) : (
        <div className="fc-split">
          {rows.length === 0 ? (
            <Nothing zh={mayDraft ? "暂无通知：点“起草通知”" : "暂无通知"} en={mayDraft ? "No notice yet: draft one" : "No notice yet"} />
          ) : (
            <div>
              <Table<NoticeDetailFragment> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false}
                                           data-testid="notices" rowClassName={(n) => (n.id === selected?.id && mode === "view" ? "fc-selected" : "")}
                                           onRow={(n) => ({ onClick: () => { set({ notice: n.id }); setMode("view"); }, "data-notice": n.title } as HTMLAttributes<HTMLElement>)} />
              {q.data && q.data.notices.totalCount > rows.length && (
                <Typography.Text type="secondary"><L zh={`共 ${q.data.notices.totalCount} 条，显示最新 ${rows.length} 条`}
                                                    en={`${q.data.notices.totalCount} in all, newest ${rows.length} shown`} /></Typography.Text>
              )}
            </div>
          )}
          {side}
        </div>
      )}
    </div>
  );
}
