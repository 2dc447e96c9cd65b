// 月度考评 Monthly scorecards: every project's month scored and ranked (best first), its standard
// score against last month, and the chosen projects' standard scores over the last six months.
import { Card, DatePicker, Input, Space, Table, Tooltip } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs from "dayjs";
import { lazy, Suspense, useMemo, useState, type HTMLAttributes } from "react";
import { useSearchParams } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import type { ScorecardsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { ScoreHistoryDoc, ScorecardsDoc } from "./queries";

const TrendChart = lazy(() => import("./TrendChart"));
type Card = ScorecardsQuery["scorecards"][number];
const pct = (v: number | null | undefined) => (v == null ? "—" : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null | undefined) => (v == null ? "—" : v.toFixed(1));

function columns(t: (zh: string, en: string) => string): ColumnsType<Card> {
  const rate = (key: "responseRate" | "resolutionRate" | "satisfactionRate" | "onTimeRate", zh: string, en: string) => ({
    title: <L zh={zh} en={en} />, key, width: 90, align: "right" as const, sorter: (a: Card, b: Card) => (a.month[key] ?? -1) - (b.month[key] ?? -1),
    render: (_: unknown, c: Card) => <span className="fc-num">{pct(c.month[key])}</span>,
  });
  return [
    { title: <L zh="排名" en="Rank" />, dataIndex: "rank", width: 64, align: "right", sorter: (a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9), render: (v?: number) => v ?? "—" },
    { title: <L zh="项目" en="Project" />, key: "name", width: 160, render: (_, c) => <span>{c.project.name} <span className="fc-beside">{c.project.code}</span></span> },
    { title: <L zh="城市" en="City" />, key: "city", width: 64, render: (_, c) => c.project.city },
    { title: <L zh="得分" en="Score" />, key: "score", width: 72, align: "right", sorter: (a, b) => (a.score ?? -1) - (b.score ?? -1), render: (_, c) => <b className="fc-num">{num(c.score)}</b> },
    { title: <L zh="标准分" en="Std score" />, key: "std", width: 110, align: "right", sorter: (a, b) => (a.standardScore ?? -1) - (b.standardScore ?? -1),
      render: (_, c) => <Tooltip title={t("较上月", "vs last month")}><span className="fc-num">{num(c.standardScore)}
        {c.trend != null && c.trend !== 0 && <span className={c.trend > 0 ? "fc-up" : "fc-down"}> {c.trend > 0 ? "▲" : "▼"}{Math.abs(c.trend).toFixed(1)}</span>}</span></Tooltip> },
    { title: <L zh="受理量" en="Received" />, key: "n", width: 80, align: "right", render: (_, c) => c.month.received },
    rate("responseRate", "响应率", "Response"),
    rate("resolutionRate", "解决率", "Resolution"),
    rate("satisfactionRate", "满意率", "Satisfaction"),
    rate("onTimeRate", "按时办结率", "On time"),
    { title: <L zh="品质检查" en="Inspection" />, key: "insp", width: 90, align: "right", render: (_, c) => num(c.inspectionScore) },
    { title: <L zh="收缴率" en="Collection" />, key: "coll", width: 90, align: "right", sorter: (a, b) => (a.collectionRate ?? -1) - (b.collectionRate ?? -1),
      render: (_, c) => <span className="fc-num" data-testid="scorecard-collection">{pct(c.collectionRate)}</span> },
    { title: <L zh="满意度调查" en="Survey" />, key: "survey", width: 96, align: "right", sorter: (a, b) => (a.surveyScore ?? -1) - (b.surveyScore ?? -1),
      render: (_, c) => <span className="fc-num" data-testid="scorecard-survey">{num(c.surveyScore)}</span> },
  ];
}

export default function ScorecardsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const month = params.get("month") ? dayjs(`${params.get("month")}-01`) : dayjs().startOf("month");
  const q = params.get("q") ?? "";
  const set = (key: string, value: string | null) => setParams((prev) => {
    const next = new URLSearchParams(prev);
    if (value) next.set(key, value); else next.delete(key);
    return next;
  }, { replace: true });
  const months = useMemo(() => Array.from({ length: 6 }, (_, i) => month.subtract(5 - i, "month")), [month.format("YYYY-MM")]); // eslint-disable-line react-hooks/exhaustive-deps
  const cards = useQuery(ScorecardsDoc, { month: month.format("YYYY-MM-01") });
  const history = useQuery(ScoreHistoryDoc, Object.fromEntries(months.map((m, i) => [`m${i}`, m.format("YYYY-MM-01")])));
  const [picked, setPicked] = useState<string[] | null>(null);
  const cols = useMemo(() => columns(t), [t]);

  const all = cards.data?.scorecards ?? [];
  const rows = all.filter((c) => !q || c.project.name.includes(q) || c.project.code.toLowerCase().includes(q.toLowerCase()) || c.project.city.includes(q));
  const chosen = picked ?? rows.slice(0, 5).map((c) => c.project.id);
  const lines = useMemo(() => {
    const h = history.data;
    if (!h) return [];
    const perMonth = [h.m0, h.m1, h.m2, h.m3, h.m4, h.m5].map((list) => new Map(list.map((s) => [s.project.id, s.standardScore ?? null])));
    return chosen.map((id) => ({ name: all.find((c) => c.project.id === id)?.project.name ?? id, values: perMonth.map((m) => m.get(id) ?? null) }));
  }, [history.data, chosen.join(","), all]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker picker="month" allowClear={false} value={month} aria-label={t("月份", "Month")}
                    onChange={(d) => set("month", d ? d.format("YYYY-MM") : null)} disabledDate={(d) => d.isAfter(dayjs(), "month")} />
        <Input.Search allowClear placeholder={t("项目、编号或城市", "Project, code or city")} defaultValue={q} style={{ width: 220 }}
                      onSearch={(v) => set("q", v || null)} aria-label={t("筛选项目", "Filter projects")} />
      </Space>
      <ErrorBanner error={cards.error ?? history.error} onRetry={() => { void cards.refetch(); void history.refetch(); }} />
      {cards.error && !cards.data ? null : (<>
        <Card size="small" style={{ marginBottom: 12 }} title={<L zh="标准分趋势（近六个月）" en="Standard score, last six months" />}>
          {history.loading && !history.data ? <Loading rows={4} /> : lines.length === 0 ? <Nothing zh="勾选项目查看趋势" en="Tick projects to see their trends" /> : (
            <Suspense fallback={<Loading rows={4} />}><TrendChart months={months.map((m) => m.format("YYYY-MM"))} lines={lines} /></Suspense>
          )}
        </Card>
        {cards.loading && !cards.data ? <Loading rows={10} /> : all.length === 0 ? (
          <Nothing zh="本月还没有考评结果（每月由系统自动评分）" en="No scores for this month yet (scored automatically)" />
        ) : (
          <Table<Card> size="small" rowKey={(c) => c.project.id} columns={cols} dataSource={rows} data-testid="scorecards-table"
                       pagination={{ pageSize: 50, showSizeChanger: false }} scroll={{ x: 1240 }}
                       rowSelection={{ selectedRowKeys: chosen, onChange: (keys) => setPicked((keys as string[]).slice(0, 10)),
                                       columnTitle: t("趋势", "Trend"), hideSelectAll: true }}
                       onRow={(c) => ({ "data-project": c.project.code } as HTMLAttributes<HTMLElement>)} />
        )}
      </>)}
    </div>
  );
}
