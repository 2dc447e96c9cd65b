// 批准婉拒: the written reply a decline needs — reason, basis and at least one alternative for
// the resident — and, once approved, its letter to print.
import { Alert, Button, Form, Input, Typography } from "antd";
import { useEffect, useState } from "react";
import type { ApiError } from "../../api/client";
import { request } from "../../api/client";
import { openPrint } from "../../api/documents";
import type { CaseDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { asApiError, FormError } from "../../ui/action";
import { Required } from "./fields";
import { DeclineLetterDoc } from "./queries";

export function ApproveDeclineFields() {
  const t = useT();
  return (
    <>
      <Required name="reason" zh="婉拒理由" en="Reason" rows={2} autoFocus />
      <Required name="basis" zh="依据" en="Basis (rule or contract clause)" rows={2} />
      {/* The first alternative is required on its own item, so its error clears as it is typed. */}
      <Form.List name="alternatives">
        {(items, { add, remove }) => (
          <Form.Item label={<L zh="替代方案" en="Alternatives" />} required
                     extra={t("业主可以怎么办，例如：搬家公司 15:00 上门，收费 200 元。", "What the resident can do instead.")}>
            {items.map((item, i) => (
              <div key={item.key} style={{ display: "flex", gap: 8, marginBottom: 8 }}>
                <Form.Item name={item.name} style={{ flex: 1, marginBottom: 0 }}
                           rules={i === 0 ? [{ required: true, whitespace: true, message: t("至少提供一条替代方案", "Offer at least one alternative") }] : []}>
                  <Input maxLength={2000} aria-label={t(`替代方案 ${i + 1}`, `Alternative ${i + 1}`)} />
                </Form.Item>
                {i > 0 && <Button type="text" onClick={() => remove(item.name)} aria-label={t("删除", "Remove")}>✕</Button>}
              </div>
            ))}
            <Button type="dashed" onClick={() => add("")}><L zh="再加一条" en="Add another" /></Button>
          </Form.Item>
        )}
      </Form.List>
    </>
  );
}

/** After the approval: the letter of the newest reply, printed from its print endpoint. */
export function DeclineLetter({ c }: { c: CaseDetailFragment }) {
  const [path, setPath] = useState<{ printPath: string; version: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    request(DeclineLetterDoc, { caseId: c.id })
      .then((d) => setPath(d.writtenReplies[0] ?? null))
      .catch((e: unknown) => setError(asApiError(e)));
  }, [c.id]);
  const print = () => {
    if (path) openPrint(path.printPath).catch((e: unknown) => setError(asApiError(e)));
  };
  return (
    <div data-testid="decline-letter">
      <Alert type="success" showIcon message={<L zh="已婉拒：书面答复已生成" en="Declined: the written reply is on file" />}
             description={path ? <L zh={`第 ${path.version} 版，可打印交业主。`} en={`Version ${path.version}, ready to print for the resident.`} /> : null} />
      <Typography.Paragraph style={{ marginTop: 12 }}>
        <Button type="primary" disabled={!path} onClick={print} data-testid="decline-letter-print">
          <L zh="打印书面答复" en="Print the written reply" />
        </Button>
      </Typography.Paragraph>
      <FormError error={error} testId="decline-letter-error" />
    </div>
  );
}
