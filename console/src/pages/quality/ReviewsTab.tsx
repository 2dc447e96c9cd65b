// 研判 The cases to review — by default this month's finished ones (办结/确认/关闭, received since the
// first of the Beijing month), complaints first in the brief's sense of "representative" — with
// each one's review beside; shared lessons below.
import { Card, Input, List, Segmented, Select, Space, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState, type HTMLAttributes } from "react";
import { Link } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { CaseFilter, CaseKind, ReviewCaseRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { KINDS } from "../../ui/labels";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { RaiseActionButton } from "../improvements/RaiseAction";
import { short, useProjects } from "./common";
import { CaseReviewDoc, ReviewCasesDoc, SharedLessonsDoc } from "./queries";
import { ReviewForm, ReviewShown } from "./ReviewForm";

const FINISHED: CaseFilter["states"] = ["RESOLVED", "CONFIRMED", "CLOSED"];
type Scope = "month" | "finished" | "all";

/** The first instant of this Beijing month, with its offset (China keeps +08:00 all year). */
function monthStart(now = Date.now()): string {
  return `${new Date(now + 8 * 3_600_000).toISOString().slice(0, 7)}-01T00:00:00+08:00`;
}

function CaseReviewPanel({ c, onSaved }: { c: ReviewCaseRowFragment; onSaved: () => void }) {
  const { viewer } = useAuth();
  const q = useQuery(CaseReviewDoc, { caseId: c.id });
  const review = q.data?.caseReview ?? null;
  return (
    <Card size="small" data-testid="review-panel"
          title={<span><Link to={`/cases/${c.id}`} className="fc-num">{c.number}</Link> <Tag>{c.stateLabel}</Tag>{c.project?.name}</span>}
          extra={review && <RaiseActionButton from={{ projectId: review.projectId, source: "CASE_REVIEW", sourceId: review.id,
                                                      title: `工单 ${c.number} 研判整改`,
                                                      description: review.correctiveActions || review.rootCause }} />}>
      <Typography.Paragraph>{c.description}</Typography.Paragraph>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading rows={3} /> : (
        <>
          {review ? <ReviewShown review={review} /> : <Typography.Text type="secondary"><L zh="尚未研判" en="Not reviewed yet" /></Typography.Text>}
          {can(viewer, "REVIEW_MANAGE", c.project?.id) && (
            <div style={{ marginTop: 12 }}>
              <ReviewForm key={`${c.id}:${review?.version ?? 0}`} caseId={c.id} review={review}
                          onSaved={() => { void q.refetch(); onSaved(); }} />
            </div>
          )}
        </>
      )}
    </Card>
  );
}

function SharedLessons({ tick }: { tick: number }) {
  const q = useQuery(SharedLessonsDoc, {});
  const { refetch } = q;
  useEffect(() => {
    if (tick) void refetch();
  }, [tick, refetch]);
  const t = useT();
  return (
    <Card size="small" style={{ marginTop: 12 }} title={<L zh="全公司分享的经验" en="Lessons shared company-wide" />} data-testid="shared-lessons">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading rows={2} /> : !q.data?.sharedLessons.length ? (
        <Nothing zh="暂无分享的经验：研判时打开“全公司分享”" en="No shared lessons yet: switch on sharing in a review" />
      ) : (
        <List size="small" dataSource={q.data.sharedLessons} renderItem={(s) => (
          <List.Item key={s.reviewId}>
            <div>
              <Tag>{t(s.verdict === "EXEMPLARY" ? "典型" : "警示", s.verdict)}</Tag>
              <span className="fc-num">{s.caseNumber}</span> · {s.projectName} · {s.rootCause}
              <div><L zh="经验" en="Lessons" />：{s.lessons}</div>
              {s.correctiveActions && <div><L zh="整改" en="Actions" />：{s.correctiveActions}</div>}
              {s.tags.map((x) => <Tag key={x}>{x}</Tag>)}
            </div>
          </List.Item>
        )} />
      )}
    </Card>
  );
}

export function ReviewsTab() {
  const t = useT();
  const { projects } = useProjects();
  const [projectId, setProjectId] = useState<string | null>(null);
  const [scope, setScope] = useState<Scope>("month");
  const [kind, setKind] = useState<CaseKind | null>("COMPLAINT");
  const [text, setText] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const filter: CaseFilter = { projectId, kind, text: text || null, states: scope === "all" ? null : FINISHED,
                               receivedFrom: scope === "month" ? monthStart() : null };
  const q = useQuery(ReviewCasesDoc, { filter });
  const rows = q.data?.cases.edges.map((e) => e.node) ?? [];
  const reviewed = new Map(q.data?.caseReviews.map((r) => [r.caseId, r]) ?? []);
  const current = rows.find((r) => r.id === selected) ?? rows[0];

  const columns: ColumnsType<ReviewCaseRowFragment> = [
    { title: <L zh="编号" en="Number" />, dataIndex: "number", width: 165, render: (n: string) => <span className="fc-num">{n}</span> },
    { title: <L zh="类型" en="Kind" />, key: "kind", width: 50, render: (_, c) => t(KINDS.find((k) => k.value === c.kind)?.zh ?? c.kind, c.kind) },
    { title: <L zh="状态" en="State" />, key: "state", width: 120, render: (_, c) => <Tag>{c.stateLabel}</Tag> },
    { title: <L zh="描述" en="Description" />, dataIndex: "description", ellipsis: true },
    { title: <L zh="研判" en="Review" />, key: "review", width: 76, render: (_, c) => {
      const r = reviewed.get(c.id);
      return r ? <Tag color="blue">{r.verdictLabel.split(" ")[0]} v{r.version}</Tag> : "—";
    } },
    { title: <L zh="登记" en="Received" />, key: "at", width: 92, render: (_, c) => <span className="fc-num">{short(c.receivedAt)}</span> },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={scope} onChange={(v) => setScope(v as Scope)} aria-label={t("范围", "Scope")}
                   options={[{ value: "month", label: t("本月已办结", "Finished this month") }, { value: "finished", label: t("已办结", "Finished") },
                             { value: "all", label: t("全部", "All") }]} />
        <Select allowClear value={kind ?? undefined} placeholder={t("类型", "Kind")} style={{ width: 100 }} aria-label={t("类型", "Kind")}
                onChange={(v) => setKind(v ?? null)} options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        <Select allowClear value={projectId ?? undefined} placeholder={t("全部项目", "All projects")} style={{ width: 140 }}
                aria-label={t("项目", "Project")} onChange={(v) => setProjectId(v ?? null)}
                options={projects.map((p) => ({ value: p.id, label: p.name }))} />
        <Input.Search allowClear placeholder={t("编号或描述", "Number or words")} style={{ width: 200 }} aria-label={t("搜索", "Search")}
                      onSearch={setText} />
        <span className="fc-beside">{t(`共 ${q.data?.cases.totalCount ?? 0} 件`, `${q.data?.cases.totalCount ?? 0} cases`)}</span>
      </Space>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : rows.length === 0 && !q.error ? (
        <Nothing zh="没有符合条件的工单：换个类型或选“全部”" en="No case matches: try another kind or “All”" />
      ) : (
        <div className="fc-split">
          <Table<ReviewCaseRowFragment> size="small" rowKey="id" columns={columns} dataSource={rows} pagination={false}
                                        data-testid="review-cases" rowClassName={(c) => (c.id === current?.id ? "fc-selected" : "")}
                                        onRow={(c) => ({ onClick: () => setSelected(c.id), "data-case": c.number } as HTMLAttributes<HTMLElement>)} />
          {current && <CaseReviewPanel key={current.id} c={current} onSaved={() => { void q.refetch(); setTick((n) => n + 1); }} />}
        </div>
      )}
      <SharedLessons tick={tick} />
    </div>
  );
}
