// ?action=commit (or dispatch, …) opens that action's drawer once the case has loaded: how the
// queue's C and D keys land on a case. The parameter is dropped either way, so a reload or the
// back button does not open the drawer again; an action not offered says why nothing opened.
import { App } from "antd";
import { useEffect } from "react";
import { useSearchParams } from "react-router-dom";
import { useT } from "../../i18n";
import type { ActionSpec } from "./actions";

export function useActionParam(ready: boolean, actions: ActionSpec[], open: (a: ActionSpec) => void): void {
  const [params, setParams] = useSearchParams();
  const { message } = App.useApp();
  const t = useT();
  const wanted = params.get("action");
  useEffect(() => {
    if (!ready || !wanted) return;
    const next = new URLSearchParams(params);
    next.delete("action");
    setParams(next, { replace: true });
    const action = actions.find((a) => a.id === wanted);
    if (action) open(action);
    else void message.info(t("此工单现在没有这一步可做", "That step is not open to you on this case now"), 3);
  }, [ready, wanted]); // once per arrival: actions and open change on every render
}
