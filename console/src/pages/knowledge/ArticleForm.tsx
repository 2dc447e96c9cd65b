// 新增 / 修订知识条目 in a drawer: kind (only when new), title, the wording word for word, tags and
// categories it is found by, and a service's price. A revision asks why (修订说明); the API keeps
// every version.
import { Form, Input, InputNumber, Select } from "antd";
import { useEffect } from "react";
import { check, request } from "../../api/client";
import type { KnowledgeKind, KnowledgeRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { useAction } from "../../ui/action";
import { FormDrawer } from "../../ui/FormDrawer";
import { CreateArticleDoc, ReviseArticleDoc } from "./queries";

export const KNOWLEDGE_KINDS: { value: KnowledgeKind; zh: string; en: string }[] = [
  { value: "WORDING", zh: "话术", en: "Wording" },
  { value: "ANSWER", zh: "问答", en: "Answer" },
  { value: "SERVICE", zh: "服务项目", en: "Service" },
];

interface Values { kind: KnowledgeKind; title: string; body: string; tags: string[]; categoryCodes: string[];
  priceYuan?: number | null; priceUnit?: string; note?: string }
interface Props {
  open: boolean;
  /** Where a new article goes: a project's id, or null for the company's. */
  projectId: string | null;
  editing: KnowledgeRowFragment | null;
  categories: { code: string; name: string }[];
  onClose: () => void;
  onSaved: () => void;
}

export function ArticleForm({ open, projectId, editing, categories, onClose, onSaved }: Props) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch("kind", form);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) {
      form.setFieldsValue({ kind: editing.kind, title: editing.title, body: editing.body, tags: editing.tags,
                            categoryCodes: editing.categoryCodes, priceYuan: editing.priceFen == null ? null : editing.priceFen / 100,
                            priceUnit: editing.priceUnit ?? undefined });
    }
  }, [open, editing, form]);
  const save = useAction("knowledgeArticle", async (key, v: Values) => {
    const input = {
      title: v.title, body: v.body, tags: v.tags ?? [], categoryCodes: v.categoryCodes ?? [],
      priceFen: v.kind === "SERVICE" && v.priceYuan != null ? Math.round(v.priceYuan * 100) : null,
      priceUnit: v.kind === "SERVICE" && v.priceUnit ? v.priceUnit : null,
    };
    if (editing) check((await request(ReviseArticleDoc, { articleId: editing.id, input, note: v.note || null, key })).reviseKnowledgeArticle);
    else check((await request(CreateArticleDoc, { projectId, kind: v.kind, input, key })).createKnowledgeArticle);
  });
  async function submit() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (await save.run(v)) onSaved();
  }
  const where = projectId ? t("本项目", "this project") : t("全公司统一", "the whole company");
  return (
    <FormDrawer open={open} busy={save.busy} error={save.error} onSubmit={() => void submit()} onClose={onClose} testId="article-form"
                title={editing ? <L zh={`修订：${editing.title}`} en={`Revise: ${editing.title}`} />
                  : <span><L zh="新增知识条目" en="New article" /> · {where}</span>}>
      <Form<Values> form={form} layout="vertical" initialValues={{ kind: "WORDING", tags: [], categoryCodes: [] }}>
        <Form.Item name="kind" label={t("类型", "Kind")}>
          <Select disabled={!!editing} data-testid="article-kind"
                  options={KNOWLEDGE_KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
        </Form.Item>
        <Form.Item name="title" label={t("标题", "Title")} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input data-testid="article-title" />
        </Form.Item>
        <Form.Item name="body" label={t("内容（按原话使用）", "Text (used word for word)")}
                   rules={[{ required: true, whitespace: true, max: 10000 }]}>
          <Input.TextArea rows={8} data-testid="article-body" />
        </Form.Item>
        <Form.Item name="tags" label={t("标签（用于搜索）", "Tags (searched)")}>
          <Select mode="tags" maxCount={10} tokenSeparators={[",", "，", " "]} data-testid="article-tags" />
        </Form.Item>
        <Form.Item name="categoryCodes" label={t("适用工单类别（空：不限）", "Case categories (empty: any)")}>
          <Select mode="multiple" maxCount={10} optionFilterProp="label"
                  options={categories.map((c) => ({ value: c.code, label: `${c.name} ${c.code}` }))} />
        </Form.Item>
        {kind === "SERVICE" && (
          <Form.Item label={t("价格（有偿服务）", "Price (paid service)")}>
            <Form.Item name="priceYuan" noStyle>
              <InputNumber min={0} max={1000000} precision={2} suffix="元" style={{ width: 180 }} data-testid="article-price" />
            </Form.Item>
            <Form.Item name="priceUnit" noStyle>
              <Input placeholder={t("每 次 / 小时 / 平方米", "per visit / hour / m²")} style={{ width: 160, marginLeft: 8 }} maxLength={20} />
            </Form.Item>
          </Form.Item>
        )}
        {editing && (
          <Form.Item name="note" label={t("修订说明", "Why it changed")} rules={[{ max: 200 }]}>
            <Input data-testid="article-note" />
          </Form.Item>
        )}
      </Form>
    </FormDrawer>
  );
}
