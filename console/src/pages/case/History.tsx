// Left of the case page: what happened (caseTimeline, oldest first) and the escalations so far.
import { Card, Empty, List, Tag, Timeline } from "antd";
import type { CasePageQuery } from "../../gql/graphql";
import { L } from "../../i18n";
import { TOPICS } from "../../ui/labels";

type Entry = CasePageQuery["caseTimeline"][number];
type Escalation = NonNullable<CasePageQuery["case"]>["escalations"][number];

const when = (at: string) => new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function CaseTimeline({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <Empty description={<L zh="暂无记录" en="Nothing yet" />} />;
  return (
    <Timeline data-testid="case-timeline" items={entries.map((e, i) => ({
      key: i,
      children: (
        <div>
          <b>{TOPICS[e.action] ? <L {...TOPICS[e.action]} /> : e.action}</b> <span className="fc-beside fc-num">{when(e.at)} {e.actedBy.displayName}</span>
          {e.note && <div>{e.note}</div>}
        </div>
      ),
    }))} />
  );
}

export function Escalations({ items }: { items: Escalation[] }) {
  return (
    <Card size="small" title={<L zh="升级" en="Escalations" />} style={{ marginTop: 12 }} data-testid="case-escalations">
      {items.length === 0 ? <span className="fc-beside"><L zh="未升级" en="None" /></span> : (
        <List size="small" dataSource={items} renderItem={(e) => (
          <List.Item key={e.id}>
            <span><Tag>{e.levelLabel}</Tag>{e.reasonLabel} <span className="fc-beside fc-num">{when(e.firedAt)}</span></span>
            <span className="fc-beside">{e.recipients.map((r) => r.displayName).join("、")}</span>
          </List.Item>
        )} />
      )}
    </Card>
  );
}
