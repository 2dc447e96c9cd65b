// The clocks of the page: a referral's answer deadline; a 12345 order's two (签收, 办结).
import type { GovOrderRowFragment, ReferralRowFragment } from "../../gql/graphql";
import { Deadline } from "../../ui/Deadline";

export function ReferralDeadline({ r }: { r: ReferralRowFragment }) {
  return <Deadline label="反馈" start={r.createdAt} due={r.dueAt} doneAt={r.answeredAt} stopped={r.status === "WITHDRAWN"} testId="referral-due" />;
}

export function GovDeadlines({ o }: { o: GovOrderRowFragment }) {
  return (
    <span style={{ display: "inline-flex", flexDirection: "column", gap: 2, alignItems: "flex-start" }}>
      <Deadline label="签收" start={o.receivedAt} due={o.responseDue} doneAt={o.respondedAt} testId="gov-response-due" />
      <Deadline label="办结" start={o.receivedAt} due={o.resolveDue} doneAt={o.status === "ANSWERED" ? o.answeredAt : null}
                stopped={o.status === "RETURNED"} testId="gov-resolve-due" />
    </span>
  );
}
