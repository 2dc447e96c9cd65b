// The states every page has: loading, empty (one line and the next action), error (a banner
// with the API's code above whatever rows were already shown).
import { Alert, Empty, Skeleton } from "antd";
import type { ReactNode } from "react";
import type { ApiError } from "../api/client";
import { L } from "../i18n";

export function ErrorBanner({ error, onRetry }: { error: ApiError | null; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <Alert type="error" showIcon role="alert" style={{ marginBottom: 12 }} data-testid="error-banner"
           message={<span>{error.message} <code>{error.code}</code></span>}
           action={onRetry && <a onClick={onRetry}><L zh="重试" en="Retry" /></a>} />
  );
}

export function Loading({ rows = 6 }: { rows?: number }) {
  return <Skeleton active paragraph={{ rows }} />;
}

export function Nothing({ zh, en, action }: { zh: string; en: string; action?: ReactNode }) {
  return <Empty description={<L zh={zh} en={en} />}>{action}</Empty>;
}
