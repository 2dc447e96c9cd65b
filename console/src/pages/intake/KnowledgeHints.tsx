// 话术 beside intake: the company's and the project's standard answers for what the agent types, or
// for the category picked. 使用 copies the wording for the reply and counts the use.
import { Button, Card, Input, List, Space, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { SearchKnowledgeDoc, UseArticleDoc, yuan } from "../knowledge/queries";

export function KnowledgeHints({ projectId, categoryCode }: { projectId: string | undefined; categoryCode: string | undefined }) {
  const t = useT();
  const [typed, setTyped] = useState("");
  const [text, setText] = useState("");
  useEffect(() => {  // debounced: a search per pause, not per keystroke
    const timer = window.setTimeout(() => setText(typed.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [typed]);
  const skip = !projectId || (!text && !categoryCode);
  const found = useQuery(SearchKnowledgeDoc, { projectId: projectId ?? "", text, categoryCode: categoryCode ?? null }, skip);
  const [used, setUsed] = useState<string | null>(null);
  const use = useAction("useKnowledgeArticle", async (key, id: string, body: string) => {
    await navigator.clipboard?.writeText(body).catch(() => undefined);
    check((await request(UseArticleDoc, { articleId: id, projectId: projectId!, key: `${key}:${id}` })).useKnowledgeArticle);
    setUsed(id);
  });
  const items = skip ? [] : found.data?.searchKnowledge ?? [];
  return (
    <Card size="small" title={<L zh="话术 · 标准答复" en="Standard replies" />} style={{ marginBottom: 12 }} data-testid="knowledge-hints">
      <Input.Search allowClear placeholder={t("搜索话术，如 物业费 停车", "Search, e.g. 物业费")} value={typed}
                    onChange={(e) => setTyped(e.target.value)} aria-label={t("搜索话术", "Search replies")} data-testid="knowledge-search" />
      <FormError error={use.error} />
      {!skip && !found.loading && items.length === 0 && (
        <Typography.Text type="secondary"><L zh="没有找到相关话术" en="Nothing found" /></Typography.Text>
      )}
      <List size="small" dataSource={items} renderItem={(a) => (
        <List.Item data-testid="knowledge-hit" actions={[
          <Button key="use" size="small" onClick={() => void use.run(a.id, a.body)} data-testid="knowledge-use">
            {used === a.id ? t("已复制", "Copied") : t("使用", "Use")}
          </Button>,
        ]}>
          <List.Item.Meta
            title={<Space size={4}><Tag>{a.kindLabel}</Tag>{a.title}
              {a.priceFen != null && <span className="fc-num">¥{yuan(a.priceFen)}{a.priceUnit ? `/${a.priceUnit}` : ""}</span>}</Space>}
            description={<Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}>
              {a.body}</Typography.Paragraph>} />
        </List.Item>
      )} />
    </Card>
  );
}
