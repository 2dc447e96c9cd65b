// After registering, what the desk does next without leaving the page: D sends the case to whoever
// is on duty (`dispatchCase(onDuty: true)`; nobody on duty is not a dead end — the API escalates,
// and the note says so without blocking the next call), L opens the link-a-repeat search.
// Each is offered only with the permission on the case's project; the API decides.
import { Alert, Button, Space } from "antd";
import { useState } from "react";
import { ApiError, check, request } from "../../api/client";
import { useAuth, can } from "../../auth";
import { graphql } from "../../gql";
import type { CaseDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { useKeys } from "../../ui/keys";
import { ActionDrawer } from "../case/ActionDrawer";
import { ACTIONS } from "../case/actions";
import { DispatchDoc } from "../case/mutations";

const IntakeCaseDoc = graphql(`
  query IntakeCase($id: ID!) {
    case(id: $id) { ...CaseDetail }
  }
`);

const LINK = ACTIONS.find((a) => a.id === "linkRepeat")!;

export interface Registered {
  id: string;
  number: string;
  projectId: string;
  formKey: string;
}

type Outcome = { kind: "dispatched"; who: string } | { kind: "escalated" } | { kind: "linked" };

export function FollowUps({ registered }: { registered: Registered }) {
  const t = useT();
  const { viewer } = useAuth();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [linking, setLinking] = useState<CaseDetailFragment | null>(null);
  const canDispatch = can(viewer, "CASE_DISPATCH", registered.projectId);
  const canLink = can(viewer, "CASE_COMMIT", registered.projectId); // what the API asks to link a repeat

  // The dispatch's key comes from the registration's form key: however often D is pressed, for this
  // case it is one dispatch (a draft restored after a reload keeps it too).
  const dispatching = useAction("dispatchCase", async () => {
    const payload = (await request(DispatchDoc, { caseId: registered.id, onDuty: true, assigneeId: null,
                                                  key: `${registered.formKey}:dispatch` })).dispatchCase;
    if (payload.errors[0]?.code === "NOBODY_ON_DUTY") {
      setOutcome({ kind: "escalated" });
      return;
    }
    setOutcome({ kind: "dispatched", who: check(payload).case?.assignee?.displayName ?? "" });
  });
  const finding = useAction("findCase", async () => {
    const found = (await request(IntakeCaseDoc, { id: registered.id })).case;
    if (!found) throw new ApiError("NOT_FOUND", t("工单不可见", "The case is not visible"));
    setLinking(found);
  });
  const dispatch = () => dispatching.run();
  const link = () => finding.run();
  const busy = dispatching.busy;

  useKeys({ ...(canDispatch ? { d: () => void dispatch() } : {}), ...(canLink ? { l: () => void link() } : {}) }, !linking);

  if (!canDispatch && !canLink) return null;
  return (
    <div data-testid="intake-follow-ups" style={{ marginTop: 8 }}>
      <Space wrap>
        {canDispatch && (
          <Button size="small" onClick={() => void dispatch()} loading={busy && !linking} disabled={outcome?.kind === "dispatched"}
                  data-testid="intake-dispatch">
            <L zh="派给值班人员" en="Dispatch to whoever is on duty" /><kbd className="fc-kbd">D</kbd>
          </Button>
        )}
        {canLink && (
          <Button size="small" onClick={() => void link()} data-testid="intake-link">
            <L zh="关联重复诉求" en="Link a repeat" /><kbd className="fc-kbd">L</kbd>
          </Button>
        )}
        {outcome?.kind === "dispatched" && <span data-testid="intake-dispatched">✓ {t(`已派给 ${outcome.who}`, `Dispatched to ${outcome.who}`)}</span>}
        {outcome?.kind === "linked" && <span data-testid="intake-linked">✓ {t("已关联前案", "Linked to the earlier case")}</span>}
      </Space>
      {outcome?.kind === "escalated" && (
        <Alert type="warning" showIcon style={{ marginTop: 8 }} data-testid="intake-escalated" role="status"
               message={<span><L zh="当前无人值班，已升级" en="Nobody is on duty: escalated" /> <code>NOBODY_ON_DUTY</code></span>}
               description={t("工单保持待派，可在工单页指定处理人。", "The case stays open; name a handler on its page.")} />
      )}
      <FormError error={dispatching.error ?? finding.error} testId="intake-follow-up-error" />
      {linking && (
        <ActionDrawer action={LINK} c={linking} onClose={() => setLinking(null)} onStale={() => setLinking(null)} onChanged={() => undefined}
                      onDone={() => {
                        setLinking(null);
                        setOutcome({ kind: "linked" });
                      }} />
      )}
    </div>
  );
}
