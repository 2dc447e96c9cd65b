// 预警 The live alert stream: open alerts first loaded, then each event from the subscription on
// top, glowing; a red one is announced (aria-live assertive) and beeps once unless muted.
import { Badge, Card, List, Switch, Tag } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { useSubscription } from "../../api/live";
import { useQuery } from "../../api/useQuery";
import type { AlertStreamSubscription } from "../../gql/graphql";
import { L } from "../../i18n";
import { ALERT_TAG, beep } from "../../ui/alerts";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AlertStreamDoc, OpenAlertsDoc } from "./queries";

type Alert = AlertStreamSubscription["alerts"]["alert"];

export function AlertStream({ names, onEvent }: { names: Map<string, string>; onEvent: () => void }) {
  const initial = useQuery(OpenAlertsDoc, {});
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [sound, setSound] = useState(true);
  const [announce, setAnnounce] = useState("");
  const soundRef = useRef(sound);
  soundRef.current = sound;

  useEffect(() => {
    if (initial.data) setAlerts(initial.data.alerts);
  }, [initial.data]);

  const onAlert = useCallback((data: AlertStreamSubscription) => {
    const { topic, alert } = data.alerts;
    setAlerts((list) => (topic === "alert.resolved" ? list.filter((a) => a.id !== alert.id)
      : [alert, ...list.filter((a) => a.id !== alert.id)]));
    if (topic === "alert.raised") {
      setFresh((s) => new Set(s).add(alert.id));
      setAnnounce(`${alert.colourLabel}预警：${alert.title}`);
      if (alert.colour === "red" && soundRef.current) beep();
    }
    onEvent();
  }, [onEvent]);
  useSubscription(AlertStreamDoc, {}, onAlert, () => void initial.refetch());

  return (
    <Card size="small" data-testid="alert-stream"
          title={<span><L zh="实时预警" en="Live alerts" /> <Badge count={fresh.size} title="新预警 New alerts" data-testid="new-alerts" /></span>}
          extra={<span><L zh="提示音" en="Sound" /> <Switch size="small" checked={sound} onChange={setSound} aria-label="提示音 Sound" /></span>}>
      <div aria-live="assertive" className="sr-only" style={{ position: "absolute", left: -9999 }}>{announce}</div>
      <ErrorBanner error={initial.error} onRetry={() => void initial.refetch()} />
      {initial.loading && !initial.data ? <Loading rows={4} /> : alerts.length === 0 ? (
        <Nothing zh="暂无未处理预警" en="No open alerts" />
      ) : (
        <List className="fc-stream" size="small" dataSource={alerts} renderItem={(a) => (
          <List.Item key={a.id} className={fresh.has(a.id) ? "fc-glow" : undefined} data-testid="alert-item"
                     onMouseEnter={() => fresh.has(a.id) && setFresh((s) => { const n = new Set(s); n.delete(a.id); return n; })}>
            <List.Item.Meta
              title={<span><Tag color={ALERT_TAG[a.colour]}>{a.colourLabel}</Tag>{fresh.has(a.id) && <Tag color="blue">新 New</Tag>}{a.title}</span>}
              description={<span>{names.get(a.projectId) ?? ""} · {a.ruleLabel} · {new Date(a.openedAt).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai" })}</span>} />
          </List.Item>
        )} />
      )}
    </Card>
  );
}
