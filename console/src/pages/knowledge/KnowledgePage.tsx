// 话术与知识库 Knowledge: the company's standard wordings (one for every project) and, with a project
// chosen, that project's own after them. Headquarters writes the company's; a project manager the
// project's. Each row opens to its versions; the uses are the last 90 days' at the desks you see.
import { Button, Select, Space, Switch, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { KnowledgeRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { ArticleForm } from "./ArticleForm";
import { KnowledgeListDoc, KnowledgeProjectsDoc, SetArticleActiveDoc, yuan } from "./queries";

export default function KnowledgePage() {
  const t = useT();
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projectId = params.get("project");
  const [inactive, setInactive] = useState(false);
  const [form, setForm] = useState<{ editing: KnowledgeRowFragment | null } | null>(null);
  const options = useQuery(KnowledgeProjectsDoc, {});
  const list = useQuery(KnowledgeListDoc, { projectId, inactive });
  const projects = useMemo(() => options.data?.projects.edges.map((e) => e.node) ?? [], [options.data]);
  const categories = options.data?.caseCategories ?? [];
  const mayCompany = can(viewer, "KNOWLEDGE_MANAGE", null);
  const mayProject = !!projectId && can(viewer, "KNOWLEDGE_MANAGE", projectId);
  const mayEdit = (a: KnowledgeRowFragment) => (a.project ? can(viewer, "KNOWLEDGE_MANAGE", a.project.id) : mayCompany);
  const toggle = useAction("setKnowledgeArticleActive", async (key, a: KnowledgeRowFragment) => {
    check((await request(SetArticleActiveDoc, { articleId: a.id, active: !a.active, key: `${key}:${a.id}` })).setKnowledgeArticleActive);
    await list.refetch();
  });

  const columns: ColumnsType<KnowledgeRowFragment> = [
    { title: <L zh="类型" en="Kind" />, dataIndex: "kindLabel", width: 90, render: (v: string) => <Tag>{v}</Tag> },
    { title: <L zh="标题" en="Title" />, dataIndex: "title",
      render: (v: string, a) => <span data-testid="article-row">{v}{!a.active && <Tag style={{ marginLeft: 6 }}>{t("已停用", "Inactive")}</Tag>}</span> },
    { title: <L zh="适用范围" en="Scope" />, key: "scope", width: 130,
      render: (_, a) => a.project ? a.project.name : <Tag color="blue">{t("全公司", "Company")}</Tag> },
    { title: <L zh="标签" en="Tags" />, dataIndex: "tags", render: (tags: string[]) => tags.map((g) => <Tag key={g}>{g}</Tag>) },
    { title: <L zh="价格" en="Price" />, key: "price", width: 120,
      render: (_, a) => a.priceFen == null ? "—" : <span className="fc-num">¥{yuan(a.priceFen)}{a.priceUnit ? `/${a.priceUnit}` : ""}</span> },
    { title: <L zh="版本" en="Version" />, dataIndex: "version", width: 70, render: (v: number) => <span className="fc-num">v{v}</span> },
    { title: <L zh="近90天使用" en="Uses (90 d)" />, dataIndex: "uses", width: 110, render: (v: number) => <span className="fc-num">{v}</span> },
    { title: "", key: "act", width: 150, render: (_, a) => mayEdit(a) && (
      <Space size={0}>
        <Button type="link" size="small" onClick={() => setForm({ editing: a })} data-testid="article-revise">{t("修订", "Revise")}</Button>
        <Button type="link" size="small" danger={a.active} disabled={toggle.busy} onClick={() => void toggle.run(a)}>
          {a.active ? t("停用", "Deactivate") : t("启用", "Activate")}
        </Button>
      </Space>
    ) },
  ];

  const rows = list.data?.knowledgeArticles.edges.map((e) => e.node) ?? [];
  return (
    <div className="fc-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}><L zh="话术与知识库" en="Wordings and knowledge" /></Typography.Title>
        <Select style={{ minWidth: 220 }} allowClear value={projectId ?? undefined} aria-label={t("项目", "Project")}
                placeholder={t("仅看全公司统一话术", "The company's only")} data-testid="knowledge-project"
                options={projects.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
                onChange={(v?: string) => setParams((p) => { if (v) p.set("project", v); else p.delete("project"); return p; })} />
        <Space><Switch checked={inactive} onChange={setInactive} size="small" /><L zh="含已停用" en="Include inactive" /></Space>
        {(mayCompany || mayProject) && (
          <Button type="primary" onClick={() => setForm({ editing: null })} data-testid="article-new">
            {mayProject ? t("新增本项目条目", "New for this project") : t("新增全公司话术", "New company wording")}
          </Button>
        )}
      </Space>
      <ErrorBanner error={options.error ?? list.error} onRetry={() => void list.refetch()} />
      <FormError error={toggle.error} />
      {list.loading && !list.data ? <Loading />
        : rows.length === 0 ? <Nothing zh="还没有话术。总部可先写下全公司统一的答复口径。" en="No articles yet: headquarters can write the company's wording first." />
        : (
          <Table<KnowledgeRowFragment> rowKey="id" columns={columns} dataSource={rows} pagination={false} size="middle"
                                       data-testid="knowledge-table"
                                       expandable={{ expandedRowRender: (a) => (
                                         <div>
                                           <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }}>{a.body}</Typography.Paragraph>
                                           {a.versions.length > 1 && (
                                             <Typography.Text type="secondary">
                                               {a.versions.map((v) => `v${v.version} ${new Date(v.at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}${v.note ? ` · ${v.note}` : ""}`).join("　")}
                                             </Typography.Text>
                                           )}
                                         </div>
                                       ) }} />
        )}
      <ArticleForm open={!!form} editing={form?.editing ?? null} projectId={mayProject ? projectId : null} categories={categories}
                   onClose={() => setForm(null)} onSaved={() => { setForm(null); void list.refetch(); }} />
    </div>
  );
}
