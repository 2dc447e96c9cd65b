// One transition as a drawer: its own idempotency key (a retry never acts twice), Ctrl+Enter
// submits, Esc closes, and the API's error — FORBIDDEN, INVALID_STATE, a field — shows here,
// where the user acted. An action with something to show afterwards (the letter to print) keeps
// the drawer open on it.
import { Alert, Button, Drawer, Form, Space, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import type { CaseDetailFragment } from "../../gql/graphql";
import { L } from "../../i18n";
import type { ActionSpec, FormValues } from "./actions";

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
  const [key] = useState(() => `${action.id}:${crypto.randomUUID()}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [finished, setFinished] = useState<CaseDetailFragment | null>(null);

  async function submit() {
    if (busy || finished) return;
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the fields say what is missing
    }
    setBusy(true);
    setError(null);
    try {
      const next = await action.submit(c, values, key);
      if (action.After) {
        setFinished(next);
        onChanged(next);
      } else {
        onDone(next);
      }
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError("INTERNAL", String(e));
      setError(err);
      if (err.code === "INVALID_STATE") onStale();
    } finally {
      setBusy(false);
    }
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
      {finished && After ? <After c={finished} /> : <div>
        {action.hint && <Typography.Paragraph type="secondary">{action.hint}</Typography.Paragraph>}
        <Form<FormValues> form={form} layout="vertical" requiredMark disabled={busy} initialValues={action.initial?.(c)}>
          {Fields ? <Fields c={c} form={form} /> : <Typography.Text><L zh="确认执行此操作？" en="Go ahead?" /></Typography.Text>}
        </Form>
        {error && (
          <Alert type="error" showIcon role="alert" data-testid="action-error" style={{ marginTop: 12 }}
                 message={<span>{error.message} <code>{error.code}</code></span>}
                 description={STALE[error.code] && <L {...STALE[error.code]} />} />
        )}
      </div>}
    </Drawer>
  );
}
