// 通知 Inbox: the viewer's notifications, unread first (or all); open the case, mark one or all read.
// The list refetches when the bell hears a new one; the bell's count follows every mark.
import { Button, List, Segmented, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { InboxItemFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { InboxDoc, MarkReadDoc } from "./queries";
import { setUnread, useUnread } from "./unread";

const when = (at: string) => new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
const LEVEL_TAG: Record<string, string> = { remind: "blue", l1: "gold", l2: "orange", l3: "red" };

/** A corrective action's notice carries no case: its owner's list, or the overdue ones for the ladder's recipients.
 * The ladder's notices of other things (a missed patrol) share the topic and have no page yet. */
function actionsPage(topic: string, title: string): string | null {
  if (topic === "item.escalated") return title.endsWith("整改措施逾期") ? "/improvements?overdue=1" : null;
  return topic.startsWith("improvement.") ? "/improvements?mine=1&state=ALL" : null;
}

export default function InboxPage() {
  const t = useT();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const all = params.get("show") === "all";
  const query = useQuery(InboxDoc, { unreadOnly: !all });
  const { arrived } = useUnread();
  const [pressed, setPressed] = useState<string | null>(null); // "all" or the row whose button was pressed last
  const { refetch } = query;

  useEffect(() => {
    if (arrived) void refetch();
  }, [arrived, refetch]);
  useEffect(() => {
    if (query.data) setUnread(query.data.notifications.unreadCount);
  }, [query.data]);

  const marking = useAction("markNotificationsRead", async (key, ids: string[] | null) => {
    const payload = check((await request(MarkReadDoc, { ids, all: ids === null, key })).markNotificationsRead);
    if (payload.unreadCount !== null && payload.unreadCount !== undefined) setUnread(payload.unreadCount);
    await refetch();
  });
  const busy = marking.busy ? pressed : null;

  function mark(at: string, ids: string[] | null): Promise<boolean> {
    setPressed(at);
    return marking.run(ids);
  }

  async function open(n: InboxItemFragment) {
    if (!n.readAt) await mark(n.id, [n.id]);
    if (n.caseId) navigate(`/cases/${n.caseId}`);
    else if (actionsPage(n.topic, n.title)) navigate(actionsPage(n.topic, n.title)!);
  }

  const items = query.data?.notifications.items ?? [];
  const unread = query.data?.notifications.unreadCount ?? 0;
  // Beside the button pressed, not under the whole list: the API's message and code.
  const failure = (at: string) => marking.error && pressed === at && (
    <Typography.Text type="danger" role="alert" data-testid="inbox-error">{marking.error.message} <code>{marking.error.code}</code></Typography.Text>);

  return (
    <div style={{ maxWidth: 880 }}>
      <Space style={{ marginBottom: 12, width: "100%", justifyContent: "space-between" }} wrap>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}><L zh="通知" en="Inbox" /></Typography.Title>
          <Segmented value={all ? "all" : "unread"} onChange={(v) => setParams(v === "all" ? { show: "all" } : {}, { replace: true })}
                     options={[{ value: "unread", label: t(`未读 (${unread})`, `Unread (${unread})`) }, { value: "all", label: t("全部", "All") }]} />
        </Space>
        <Space>
          {failure("all")}
          <Button onClick={() => void mark("all", null)} disabled={!unread} loading={busy === "all"} data-testid="inbox-mark-all">
            <L zh="全部标为已读" en="Mark all read" />
          </Button>
        </Space>
      </Space>
      <ErrorBanner error={query.error} onRetry={() => void refetch()} />
      {!query.data && query.loading && <Loading />}
      {query.data && items.length === 0 && (
        all ? <Nothing zh="还没有通知：升级和越级重复投诉会在这里提醒您" en="No notifications yet: escalations and skip-level repeats arrive here" />
            : <Nothing zh="没有未读通知" en="Nothing unread" action={<Button onClick={() => setParams({ show: "all" })}><L zh="查看全部" en="Show all" /></Button>} />
      )}
      {items.length > 0 && (
        <List bordered dataSource={items} data-testid="inbox-list" renderItem={(n) => (
          <List.Item key={n.id} data-testid="inbox-item" data-read={n.readAt ? "1" : "0"}
                     style={n.readAt ? undefined : { background: "#f0f7ff" }}
                     actions={[
                       ...(n.caseId ? [<a key="open" onClick={() => void open(n)} data-testid="inbox-open"><L zh="打开工单" en="Open case" /></a>] : []),
                       ...(!n.caseId && actionsPage(n.topic, n.title) ? [<a key="open" onClick={() => void open(n)} data-testid="inbox-open"><L zh="打开整改" en="Open actions" /></a>] : []),
                       ...(!n.readAt ? [<Button key="read" size="small" type="link" loading={busy === n.id} data-testid="inbox-mark"
                                                onClick={() => void mark(n.id, [n.id])}><L zh="标为已读" en="Mark read" /></Button>] : []),
                     ]}>
            <List.Item.Meta
              title={<span>{!n.readAt && <Tag color="blue">未读</Tag>}
                {n.escalationLevel && <Tag color={LEVEL_TAG[n.escalationLevel]}>{n.escalationLevel === "remind" ? "提醒" : n.escalationLevel.toUpperCase()}</Tag>}
                {n.title}</span>}
              description={<span><span className="fc-num">{when(n.createdAt)}</span> · {n.body} {failure(n.id)}</span>} />
          </List.Item>
        )} />
      )}
    </div>
  );
}
