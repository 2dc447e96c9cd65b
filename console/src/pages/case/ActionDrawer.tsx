// One transition as a drawer: its own idempotency key through ui/action (a retry never acts twice), Ctrl+Enter
// submits, Esc closes, and the API's error — FORBIDDEN, INVALID_STATE, a field — shows here,
// where the user acted. An action with something to show afterwards (the letter to print) keeps
// the drawer open on it.
import { Button, Drawer, Form, Space, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import type { CaseDetailFragment } from "../../gql/graphql";
import { L } from "../../i18n";
import { asApiError, FormError, useAction } from "../../ui/action";
import type { ActionSpec, FormValues } from "./actions";
import { useKeepFieldFocus } from "../../ui/keepFieldFocus";

interface Props {
  action: ActionSpec;
  c: CaseDetailFragment;
  onDone: (c: CaseDetailFragment) => void;
  /** Done, and the drawer stays open on the action's After panel. */
  onChanged: (c: CaseDetailFragment) => void;
  onClose: () => void;
  onStale: () => void;
}

const STALE: Record<string, { zh: string; en: string }> = {
  INVALID_STATE: { zh: "工单已被他人处理，页面已刷新。", en: "Someone else changed the case; the page was reloaded." },
};

export function ActionDrawer({ action, c, onDone, onChanged, onClose, onStale }: Props) {
  const [form] = Form.useForm<FormValues>();
  const [finished, setFinished] = useState<CaseDetailFragment | null>(null);
  const act = useAction(action.id, async (key, values: FormValues) => {
    try {
      const next = await action.submit(c, values, key);
      if (action.After) {
        setFinished(next);
        onChanged(next);
      } else {
        onDone(next);
      }
    } catch (e) {
      if (asApiError(e).code === "INVALID_STATE") onStale();
      throw e;
    }
  });
  const busy = act.busy;

  async function submit() {
    if (busy || finished) return;
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the fields say what is missing
    }
    await act.run(values);
  }

  // Ctrl+Enter wherever the focus is while the drawer is open (its panel takes the focus first);
  // Esc is the drawer's own.
  const latest = useRef(submit);
  latest.current = submit;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.isComposing) {
        e.preventDefault();
        void latest.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const keepFocus = useKeepFieldFocus();
  const Fields = action.Fields;
  const After = action.After;
  return (
    <Drawer open width={460} onClose={onClose} destroyOnHidden data-testid="action-drawer"
            title={<span><L zh={action.zh} en={action.en} /> · <span className="fc-num">{c.number}</span></span>}
            footer={<Space>
              {!finished && <Button type="primary" onClick={() => void submit()} loading={busy} data-testid="action-submit">
                <L zh="提交" en="Submit" /> (Ctrl+Enter)
              </Button>}
              <Button onClick={onClose}><L zh="关闭" en="Close" /> (Esc)</Button>
            </Space>}>
      {finished && After ? <After c={finished} /> : <div onFocus={keepFocus}>
        {action.hint && <Typography.Paragraph type="secondary">{action.hint}</Typography.Paragraph>}
        <Form<FormValues> form={form} layout="vertical" requiredMark disabled={busy} initialValues={action.initial?.(c)}>
          {Fields ? <Fields c={c} form={form} /> : <Typography.Text><L zh="确认执行此操作？" en="Go ahead?" /></Typography.Text>}
        </Form>
        <FormError error={act.error} testId="action-error" description={act.error && STALE[act.error.code] && <L {...STALE[act.error.code]} />} />
      </div>}
    </Drawer>
  );
}
