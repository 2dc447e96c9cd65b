// 预警中心 Alerts centre: red first, filtered by state, colour and rule (all in the URL); the detail
// beside with its cases; J/K move, A acknowledges, R resolves with a note. New alerts arrive live
// and glow; a red one sounds once (mutable); more than three in ten seconds make one toast.
import { App, Segmented, Select, Space, Switch, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo, useRef, useState, type HTMLAttributes } from "react";
import { useSearchParams } from "react-router-dom";
import { useSubscription } from "../../api/live";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { AlertRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ALERT_ORDER, ALERT_TAG, beep } from "../../ui/alerts";
import { useKeys } from "../../ui/keys";
import { ProjectName } from "../../ui/ProjectName";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AlertDetail, type DetailHandle } from "./AlertDetail";
import { AlertEventsDoc, AlertsDoc } from "./queries";

type StateFilter = "open" | "acknowledged" | "resolved" | "all";
const STATES: { value: StateFilter; zh: string; en: string }[] = [
  { value: "open", zh: "未处理", en: "Open" }, { value: "acknowledged", zh: "已签收", en: "Acknowledged" },
  { value: "resolved", zh: "已处置", en: "Resolved" }, { value: "all", zh: "全部", en: "All" },
];
const STATE_LABEL: Record<string, string> = { open: "未处理", acknowledged: "已签收", resolved: "已处置" };
const time = (at: string) => new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });

function sorted(list: AlertRowFragment[]): AlertRowFragment[] {
  return [...list].sort((a, b) => (ALERT_ORDER[a.colour] ?? 9) - (ALERT_ORDER[b.colour] ?? 9) || b.openedAt.localeCompare(a.openedAt));
}

export default function AlertsPage() {
  const t = useT();
  const { viewer } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const state = (params.get("state") as StateFilter | null) ?? "open";
  const colour = params.get("colour");
  const rule = params.get("rule");
  const query = useQuery(AlertsDoc, { state: state === "all" ? null : state });
  const [alerts, setAlerts] = useState<AlertRowFragment[]>([]);
  const [selected, setSelected] = useState<string | null>(params.get("alert")); // a link from elsewhere (整改's source)
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [sound, setSound] = useState(true);
  const [announce, setAnnounce] = useState("");
  const burst = useRef<number[]>([]);
  const detail = useRef<DetailHandle>(null);

  // Which filter the rows were loaded for, and what the detail shows, as of the last render: a
  // refetch of the same filter (the socket came back) keeps the alert being read or acted on,
  // so its note or error is not wiped when the server no longer lists it; a new filter does not.
  const loadedFor = useRef<StateFilter | null>(null);
  const filter = useRef(state);
  const shownId = useRef<string | null>(null);
  filter.current = state;
  useEffect(() => {
    if (!query.data) return;
    const next = query.data.alerts;
    const refetched = loadedFor.current === filter.current;
    loadedFor.current = filter.current;
    setAlerts((list) => {
      const kept = refetched ? list.find((a) => a.id === shownId.current && !next.some((n) => n.id === a.id)) : undefined;
      return kept ? [...next, kept] : next;
    });
  }, [query.data]);

  const shown = useMemo(() => sorted(alerts).filter((a) => (!colour || a.colour === colour) && (!rule || a.rule === rule)), [alerts, colour, rule]);
  const rules = useMemo(() => [...new Map(alerts.map((a) => [a.rule, a.ruleLabel])).entries()], [alerts]);
  const current = shown.find((a) => a.id === selected) ?? shown[0];
  shownId.current = current?.id ?? null;
  const select = (id: string) => {
    setSelected(id);
    setFresh((s) => new Set([...s].filter((x) => x !== id))); // seen: no longer new
  };

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
  };
  const patch = (a: AlertRowFragment) => {
    setAlerts((list) => list.map((x) => (x.id === a.id ? a : x)));
    // Acted on: seen, and held if nothing was chosen yet. The answer can come after the live event
    // of the same act, and after the agent moved on (J): it must not pull the detail back.
    setSelected((s) => s ?? a.id);
    setFresh((s) => new Set([...s].filter((x) => x !== a.id)));
  };

  useSubscription(AlertEventsDoc, {}, ({ alerts: { topic, alert } }) => {
    setAlerts((list) => {
      if (list.some((a) => a.id === alert.id)) return list.map((a) => (a.id === alert.id ? alert : a));
      return state === "all" || state === alert.state ? [alert, ...list] : list;
    });
    if (topic !== "alert.raised") return;
    setFresh((s) => new Set(s).add(alert.id));
    setAnnounce(`${alert.colourLabel}预警：${alert.title}`);
    if (alert.colour === "red" && sound) beep();
    const now = Date.now();
    burst.current = [...burst.current.filter((at) => now - at < 10_000), now];
    if (burst.current.length === 4) void message.warning(t("10 秒内多条新预警", "Several new alerts in 10 s"));
  }, () => void query.refetch());

  const move = (step: number) => {
    const i = shown.findIndex((a) => a.id === current?.id);
    const next = shown[Math.min(Math.max(i + step, 0), shown.length - 1)];
    if (next) select(next.id);
  };
  useKeys({ j: () => move(1), k: () => move(-1), a: () => detail.current?.acknowledge(), r: () => detail.current?.startResolving() });

  const columns: ColumnsType<AlertRowFragment> = [
    { title: <L zh="等级" en="Grade" />, key: "colour", width: 70, render: (_, a) => <Tag color={ALERT_TAG[a.colour]}>{a.colourLabel}</Tag> },
    { title: <L zh="预警" en="Alert" />, key: "title", ellipsis: true, render: (_, a) => (
      <span>{fresh.has(a.id) && <Tag color="blue">新</Tag>}{a.title}</span>) },
    { title: <L zh="规则" en="Rule" />, dataIndex: "ruleLabel", width: 110, ellipsis: true },
    { title: <L zh="项目" en="Project" />, key: "project", width: 90, ellipsis: true, render: (_, a) => <ProjectName id={a.projectId} /> },
    { title: <L zh="发生" en="Opened" />, key: "opened", width: 96, render: (_, a) => <span className="fc-num">{time(a.openedAt)}</span> },
    { title: <L zh="状态" en="State" />, key: "state", width: 72, render: (_, a) => <Tag>{STATE_LABEL[a.state] ?? a.state}</Tag> },
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={state} onChange={(v) => set("state", v === "open" ? null : String(v))} aria-label={t("状态", "State")}
                   options={STATES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
        <Select allowClear value={colour ?? undefined} placeholder={t("等级", "Grade")} style={{ width: 100 }} aria-label={t("等级", "Grade")}
                onChange={(v) => set("colour", v ?? null)}
                options={[["red", "红色"], ["orange", "橙色"], ["yellow", "黄色"]].map(([value, label]) => ({ value, label }))} />
        <Select allowClear value={rule ?? undefined} placeholder={t("规则", "Rule")} style={{ width: 150 }} aria-label={t("规则", "Rule")}
                onChange={(v) => set("rule", v ?? null)} options={rules.map(([value, label]) => ({ value, label }))} />
        <span className="fc-beside" data-testid="alerts-total">{t(`共 ${shown.length} 条`, `${shown.length} alerts`)} · J/K A R</span>
        <span><L zh="提示音" en="Sound" /> <Switch size="small" checked={sound} onChange={setSound} aria-label="提示音 Sound" /></span>
      </Space>
      <div aria-live="assertive" style={{ position: "absolute", left: -9999 }}>{announce}</div>
      <ErrorBanner error={query.error} onRetry={() => void query.refetch()} />
      {query.loading && !query.data ? <Loading /> : shown.length === 0 && !query.error ? (
        <Nothing zh={state === "open" ? "暂无未处理预警" : "没有符合条件的预警"} en={state === "open" ? "No open alerts" : "No alert matches"} />
      ) : (
        <div className="fc-split">
          <Table<AlertRowFragment> size="small" rowKey="id" columns={columns} dataSource={shown} pagination={false} data-testid="alerts-table"
                                   rowClassName={(a) => [a.id === current?.id ? "fc-selected" : "", fresh.has(a.id) ? "fc-glow" : ""].join(" ")}
                                   onRow={(a) => ({ onClick: () => select(a.id), "data-alert": a.id } as HTMLAttributes<HTMLElement>)} />
          {current && <AlertDetail key={current.id} ref={detail} alert={current} onChanged={patch}
                                   canHandle={can(viewer, "ALERT_HANDLE", current.projectId)} />}
        </div>
      )}
    </div>
  );
}
