// 通知 The header's bell: the viewer's unread count, live from the inbox subscription (polled every
// 60 s as well, and refetched after a reconnect, since nothing is replayed), opening /inbox. Only
// what must not wait makes a toast: an escalation (L1 and up) addressed to the viewer, or a red alert.
import { BellOutlined } from "@ant-design/icons";
import { App, Badge, Button, Tooltip } from "antd";
import { useEffect } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { useSubscription } from "../api/live";
import { useQuery } from "../api/useQuery";
import { useAuth } from "../auth";
import { useT } from "../i18n";
import { menuFor } from "../menus";
import { InboxEventsDoc, RedAlertsDoc, UnreadCountDoc } from "../pages/inbox/queries";
import { noteArrived, setUnread, useUnread } from "../pages/inbox/unread";

const POLL_MS = 60_000;
const URGENT_LEVELS = new Set(["l1", "l2", "l3"]);

function RedAlertToasts() {
  const t = useT();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  useSubscription(RedAlertsDoc, {}, ({ alerts: { topic, alert } }) => {
    // The alerts centre and the HQ board announce alerts themselves (and the board may be a wall screen).
    if (topic !== "alert.raised" || alert.colour !== "red" || ["/alerts", "/hq"].includes(location.pathname)) return;
    notification.error({
      key: alert.id, title: `${alert.colourLabel}预警`, description: alert.title, duration: 30,
      actions: <Button size="small" type="primary" onClick={() => { notification.destroy(alert.id); navigate("/alerts"); }}>{t("查看", "Open")}</Button>,
    });
  });
  return null;
}

export function InboxBell() {
  const t = useT();
  const { viewer } = useAuth();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const { count } = useUnread();
  const query = useQuery(UnreadCountDoc, {});
  const { refetch } = query;

  useEffect(() => {
    if (query.data) setUnread(query.data.notifications.unreadCount);
  }, [query.data]);

  useEffect(() => {
    const timer = window.setInterval(() => void refetch(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [refetch]);

  useSubscription(InboxEventsDoc, {}, ({ inbox: { unreadCount, notification: n } }) => {
    noteArrived(unreadCount);
    if (n.topic !== "case.escalated" || !URGENT_LEVELS.has(n.escalationLevel ?? "")) return;
    notification.warning({
      key: n.id, title: n.title, description: n.body, duration: 0,
      actions: n.caseId && (
        <Button size="small" type="primary" onClick={() => { notification.destroy(n.id); navigate(`/cases/${n.caseId}`); }}>
          {t("打开工单", "Open case")}
        </Button>),
    });
  }, () => void refetch());

  const alerts = menuFor(viewer).some((m) => m.path === "/alerts");
  const label = count ? t(`通知：${count} 条未读`, `Inbox: ${count} unread`) : t("通知", "Inbox");
  return (
    <>
      {alerts && <RedAlertToasts />}
      <Tooltip title={label}>
        <span data-testid="inbox-count" data-count={count ?? ""}>
          <Badge count={count ?? 0} size="small" overflowCount={99}>
            <Button size="small" ghost icon={<BellOutlined />} aria-label={label} data-testid="inbox-bell" onClick={() => navigate("/inbox")} />
          </Badge>
        </span>
      </Tooltip>
    </>
  );
}
