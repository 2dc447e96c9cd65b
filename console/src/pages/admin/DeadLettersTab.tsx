// 死信 Events consumers gave up on, newest first; 重新投递 publishes one again (consumers that
// already handled it skip it).
import { Button, Space, Switch, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { DeadLettersQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { DeadLettersDoc, RetryDeadLetterDoc } from "./queries";

type Letter = DeadLettersQuery["deadLetters"][number];
const when = (at: string | null) => at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "short", timeStyle: "short" }) : "—";

export default function DeadLettersTab() {
  const t = useT();
  const [includeRetried, setIncludeRetried] = useState(false);
  const letters = useQuery(DeadLettersDoc, { includeRetried });
  const retry = useAction("retryDeadLetter", async (key, id: string) => {
    check((await request(RetryDeadLetterDoc, { id, key: `${key}:${id}` })).retryDeadLetter);
    await letters.refetch();
  });
  const columns: ColumnsType<Letter> = [
    { title: <L zh="失败时间" en="Failed" />, dataIndex: "failedAt", width: 120, render: when },
    { title: <L zh="事件" en="Topic" />, dataIndex: "topic", width: 140 },
    { title: <L zh="尝试" en="Attempts" />, dataIndex: "attempts", width: 60, className: "fc-num" },
    { title: <L zh="错误" en="Error" />, dataIndex: "error", ellipsis: true, render: (e: string) => <code title={e}>{e}</code> },
    { title: <L zh="重新投递" en="Retried" />, key: "retried", width: 200,
      render: (_, d) => d.retriedAt ? <Tag>{when(d.retriedAt)} · {d.retriedBy ?? ""}</Tag> : (
        <Button size="small" onClick={() => void retry.run(d.id)} disabled={retry.busy}><L zh="重新投递" en="Retry" /></Button>
      ) },
  ];
  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Switch size="small" checked={includeRetried} onChange={setIncludeRetried} aria-label={t("含已重投", "Include retried")} />
        <Typography.Text><L zh="显示已重新投递的" en="Show retried ones" /></Typography.Text>
      </Space>
      <ErrorBanner error={letters.error} onRetry={() => void letters.refetch()} />
      <FormError error={retry.error} />
      {letters.loading && !letters.data ? <Loading rows={3} /> : (letters.data?.deadLetters.length ?? 0) === 0 && !letters.error
        ? <Nothing zh="没有死信：所有事件都已处理。" en="No dead letters: every event was handled." />
        : <Table<Letter> rowKey="id" size="small" columns={columns} dataSource={letters.data?.deadLetters ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} />}
    </div>
  );
}
