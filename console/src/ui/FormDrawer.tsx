// A form in a drawer: Ctrl+Enter submits, Esc closes (ui/keys formKeys), the API's error under the form.
import { Button, Drawer, Space } from "antd";
import { useEffect, useRef, type ReactNode } from "react";
import type { ApiError } from "../api/client";
import { L } from "../i18n";
import { FormError } from "./action";
import { useKeepFieldFocus } from "./keepFieldFocus";
import { formKeys } from "./keys";

interface Props {
  title: ReactNode;
  open: boolean;
  busy: boolean;
  error: ApiError | null;
  onSubmit: () => void;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  /** The submit button's words where 提交 would undersell the act (删除个人信息). */
  submitLabel?: ReactNode;
}

export function FormDrawer({ title, open, busy, error, onSubmit, onClose, children, testId, submitLabel }: Props) {
  // A long form's error sits below the fold: bring it into view when it arrives.
  const errorAt = useRef<HTMLDivElement>(null);
  const keepFocus = useKeepFieldFocus();
  useEffect(() => {
    if (error) errorAt.current?.scrollIntoView({ block: "nearest" });
  }, [error]);
  return (
    <Drawer open={open} width={440} title={title} onClose={onClose} destroyOnHidden data-testid={testId}
            footer={<Space>
              <Button type="primary" loading={busy} onClick={onSubmit} data-testid={`${testId}-submit`}>
                {submitLabel ?? <L zh="提交" en="Submit" />} (Ctrl+Enter)
              </Button>
              <Button onClick={onClose}><L zh="关闭" en="Close" /></Button>
            </Space>}>
      <div onKeyDown={formKeys(onSubmit, onClose)} onFocus={keepFocus}>
        {children}
        <div ref={errorAt}><FormError error={error} /></div>
      </div>
    </Drawer>
  );
}
