// 转办 The case's referrals to outside bodies, newest first: the body, what was asked, its answer
// deadline counting down, its answer. Acting on them is on the referrals page.
import { Card, Tag } from "antd";
import { Link } from "react-router-dom";
import type { CaseReadPanelsQuery } from "../../gql/graphql";
import { L } from "../../i18n";
import { beijingTime, Deadline } from "../../ui/Deadline";

type Referral = CaseReadPanelsQuery["caseReferrals"][number];

export function CaseReferrals({ referrals }: { referrals: Referral[] }) {
  return (
    <Card size="small" style={{ marginTop: 12 }} data-testid="case-referrals"
          title={<L zh="转办" en="Referrals" />} extra={<Link to="/referrals"><L zh="转办台" en="All referrals" /></Link>}>
      {referrals.map((r) => (
        <div key={r.id} data-testid="case-referral" style={{ marginBottom: 8 }}>
          <div>
            <b>{r.body?.name ?? "—"}</b> <span className="fc-beside">{r.body?.kindLabel} · {r.body?.deliveryLabel}</span>{" "}
            <Tag>{r.statusLabel}</Tag>
            <Deadline label="反馈" start={r.createdAt} due={r.dueAt} doneAt={r.answeredAt} stopped={r.status === "WITHDRAWN"} testId="case-referral-due" />
          </div>
          <div>{r.reason} <span className="fc-beside">· {r.requestedAction}</span></div>
          <div className="fc-beside fc-num">{beijingTime(r.createdAt)} · {r.creator.displayName}
            {r.remindersSent > 0 && ` · 催办 ${r.remindersSent} 次`}{r.escalatedLevel && ` · 升级 ${r.escalatedLevel.toUpperCase()}`}</div>
          {r.outcome && <div><span className="fc-beside">答复：</span>{r.outcome}</div>}
        </div>
      ))}
    </Card>
  );
}
