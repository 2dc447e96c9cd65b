// 工单类别 Case categories: the company's taxonomy in its order, archived ones too; add, rename
// (the code stays), archive and restore. Each form keeps its own idempotency key.
import { Button, Form, Input, InputNumber, Select, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { AdminCategoriesQuery, CaseKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, submitForm, useAction } from "../../ui/action";
import { KINDS } from "../../ui/labels";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { FormDrawer } from "../../ui/FormDrawer";
import { AddCategoryDoc, ArchiveCategoryDoc, CategoriesDoc, UpdateCategoryDoc } from "./queries";

type Category = AdminCategoriesQuery["caseCategories"][number];
interface Values { code: string; name: string; nameEn: string; kinds?: CaseKind[]; sort?: number | null }
const KIND_LABEL = Object.fromEntries(KINDS.map((k) => [k.value, k.zh]));

export default function CategoriesTab() {
  const t = useT();
  const list = useQuery(CategoriesDoc, {});
  const [editing, setEditing] = useState<Category | "new" | null>(null);
  const archive = useAction("setCaseCategoryArchived", async (key, c: Category) => {
    // The key follows the category and the change, so a retry is safe and two rows never collide.
    check((await request(ArchiveCategoryDoc, { code: c.code, archived: !c.archived, key: `${key}:${c.code}:${!c.archived}` })).setCaseCategoryArchived);
    await list.refetch();
  });

  const columns: ColumnsType<Category> = [
    { title: <L zh="代码" en="Code" />, dataIndex: "code", width: 140, render: (c: string) => <code>{c}</code> },
    { title: <L zh="名称" en="Name" />, dataIndex: "name", width: 140 },
    { title: <L zh="英文名" en="English" />, dataIndex: "nameEn", width: 160 },
    { title: <L zh="适用类型" en="Kinds" />, dataIndex: "kinds",
      render: (kinds: CaseKind[] | null) => kinds ? kinds.map((k) => <Tag key={k}>{KIND_LABEL[k] ?? k}</Tag>) : t("全部类型", "Every kind") },
    { title: <L zh="排序" en="Order" />, dataIndex: "sort", width: 70, className: "fc-num" },
    { title: <L zh="状态" en="State" />, dataIndex: "archived", width: 80, render: (a: boolean) => <Tag>{a ? t("已停用", "Archived") : t("启用", "In use")}</Tag> },
    { title: "", key: "act", width: 160, render: (_, c) => (
      <Space>
        <Button size="small" onClick={() => setEditing(c)}><L zh="修改" en="Edit" /></Button>
        <Button size="small" onClick={() => void archive.run(c)} disabled={archive.busy} data-testid={`archive-${c.code}`}>
          {c.archived ? t("启用", "Restore") : t("停用", "Archive")}
        </Button>
      </Space>
    ) },
  ];

  return (
    <div>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setEditing("new")} data-testid="new-category"><L zh="新增类别" en="New category" /></Button>
      </Space>
      <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />
      <FormError error={archive.error} />
      {list.loading && !list.data ? <Loading /> : (list.data?.caseCategories.length ?? 0) === 0 && !list.error
        ? <Nothing zh="还没有类别，点击“新增类别”。" en="No categories yet: add one." />
        : <Table<Category> rowKey="code" columns={columns} dataSource={list.data?.caseCategories ?? []} pagination={false} data-testid="categories-table" />}
      {editing && <CategoryDrawer category={editing === "new" ? null : editing} onClose={() => setEditing(null)} onDone={() => void list.refetch()} />}
    </div>
  );
}

function CategoryDrawer({ category, onClose, onDone }: { category: Category | null; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const save = useAction(category ? "updateCaseCategory" : "addCaseCategory", async (key, v: Values) => {
    const input = { name: v.name, nameEn: v.nameEn, kinds: v.kinds?.length ? v.kinds : null, sort: v.sort ?? null };
    if (category) check((await request(UpdateCategoryDoc, { code: category.code, input, key })).updateCaseCategory);
    else check((await request(AddCategoryDoc, { code: v.code, input, key })).addCaseCategory);
  });
  const submit = async () => {
    if (await submitForm(form, save)) {
      onDone();
      onClose();
    }
  };
  return (
    <FormDrawer open title={category ? <span><L zh="修改类别" en="Edit category" /> · {category.code}</span> : <L zh="新增类别" en="New category" />}
                busy={save.busy} error={save.error} onSubmit={() => void submit()} onClose={onClose} testId="category-drawer">
      <Form form={form} name="category" layout="vertical" disabled={save.busy}
            initialValues={category ? { ...category, kinds: category.kinds ?? [] } : undefined}>
        <Form.Item name="code" label={t("代码（登记时使用，不可修改）", "Code (what intake sends; never changes)")} rules={[{ required: true }]}>
          <Input disabled={!!category} autoFocus={!category} placeholder="elevator" />
        </Form.Item>
        <Form.Item name="name" label={t("名称", "Name")} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="nameEn" label={t("英文名", "English name")} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="kinds" label={t("适用类型", "Kinds")} extra={t("不选：全部类型", "None chosen: every kind")}>
          <Select mode="multiple" allowClear options={KINDS.map((k) => ({ value: k.value, label: `${k.zh} ${k.en}` }))} />
        </Form.Item>
        <Form.Item name="sort" label={t("排序", "Order")} extra={t("留空：排在最后（新增）或不变（修改）", "Empty: last (new) or unchanged (edit)")}>
          <InputNumber min={0} max={10000} />
        </Form.Item>
      </Form>
    </FormDrawer>
  );
}
