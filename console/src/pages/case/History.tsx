// Left of the case page: what happened (caseTimeline, oldest first) and the escalations so far.
import { Card, Empty, List, Tag, Timeline } from "antd";
import type { CasePageQuery } from "../../gql/graphql";
import { L } from "../../i18n";

type Entry = CasePageQuery["caseTimeline"][number];
type Escalation = NonNullable<CasePageQuery["case"]>["escalations"][number];

const ACTION: Record<string, string> = {
  "case.received": "受理", "case.committed": "承诺", "case.dispatched": "派单", "case.accepted": "接单", "case.started": "到场",
  "case.paused": "等待业主", "case.resumed": "恢复计时", "case.resolved": "完工", "case.confirmed": "业主确认", "case.reopened": "重新办理",
  "case.rework": "回访不满意·返工", "case.closed": "回访·关闭", "case.cancelled": "撤销", "case.promise_broken": "致歉与补救",
  "case.undispatchable": "无法派单", "case.linked_repeat": "关联重复诉求", "case.referred": "转办", "case.referral_withdrawn": "收回转办",
  "case.decline_requested": "申请婉拒", "case.declined": "婉拒", "case.reply_revised": "修订书面答复", "case.decline_denied": "驳回婉拒", "case.escalated": "升级",
};

const when = (at: string) => new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function CaseTimeline({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <Empty description={<L zh="暂无记录" en="Nothing yet" />} />;
  return (
    <Timeline data-testid="case-timeline" items={entries.map((e, i) => ({
      key: i,
      children: (
        <div>
          <b>{ACTION[e.action] ?? e.action}</b> <span className="fc-beside fc-num">{when(e.at)} {e.actedBy.displayName}</span>
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
