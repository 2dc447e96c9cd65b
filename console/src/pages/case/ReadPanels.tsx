// The case page's read panels: written replies (with print, revision and delivery), referrals to
// outside bodies, HQ's review, a complaint's 员工回访 (return visits to its staff). Each shows only when the case has one; they refetch whenever the
// page's case changes (an action, a live event).
import { useEffect, useRef } from "react";
import { useQuery } from "../../api/useQuery";
import type { CaseDetailFragment } from "../../gql/graphql";
import { ErrorBanner } from "../../ui/states";
import { CaseReferrals } from "./Referrals";
import { CaseReviewPanel } from "./Review";
import { CaseReadDoc } from "./readQueries";
import { PraisedStaff } from "./PraisedStaff";
import { StaffVisits } from "./StaffVisits";
import { WrittenReplies } from "./WrittenReplies";

export function CaseReadPanels({ c }: { c: CaseDetailFragment }) {
  const panels = useQuery(CaseReadDoc, { caseId: c.id });
  const first = useRef(true);
  const { refetch } = panels;
  useEffect(() => {
    if (first.current) first.current = false; else void refetch();
  }, [c, refetch]);

  const d = panels.data;
  return (
    <div data-testid="case-read-panels">
      {panels.error && <div style={{ marginTop: 12 }}><ErrorBanner error={panels.error} onRetry={() => void refetch()} /></div>}
      {d && d.writtenReplies.length > 0 && <WrittenReplies c={c} replies={d.writtenReplies} onChanged={() => void refetch()} />}
      {d && d.caseReferrals.length > 0 && <CaseReferrals referrals={d.caseReferrals} />}
      {d?.caseReview && <CaseReviewPanel review={d.caseReview} />}
      {c.kind === "COMPLAINT" && <StaffVisits c={c} />}
      {c.kind === "PRAISE" && <PraisedStaff c={c} />}
    </div>
  );
}
