// 研判 One case's review: verdict, root cause, lessons, corrective actions (required when cautionary),
// tags, shared or not. A revision sends the version it read, so two reviewers never overwrite each
// other silently (CONFLICT). Its own idempotency key, renewed after each saved version.
import { Button, Descriptions, Form, Input, Segmented, Select, Switch, Tag, Typography } from "antd";
import { check, request } from "../../api/client";
import type { ReviewDetailFragment, ReviewVerdict, RootCause } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys } from "../../ui/keys";
import { ROOT_CAUSES, VERDICTS, when } from "./common";
import { FormError, submitForm, useAction } from "../../ui/action";
import { ReviewCaseDoc } from "./queries";

interface Values {
  verdict: ReviewVerdict;
  rootCauseCategory: RootCause;
  rootCause: string;
  lessons: string;
  correctiveActions: string;
  tags: string[];
  shared: boolean;
}

export function ReviewShown({ review }: { review: ReviewDetailFragment }) {
  const t = useT();
  return (
    <Descriptions size="small" column={1} bordered data-testid="review-shown" styles={{ label: { whiteSpace: "nowrap", width: 90 } }} items={[
      { key: "v", label: t("结论", "Verdict"), children: <span><Tag>{review.verdictLabel}</Tag>{review.shared && <Tag color="blue">{t("全公司分享", "Shared")}</Tag>} v{review.version}</span> },
      { key: "c", label: t("根因", "Root cause"), children: `${review.rootCauseLabel} · ${review.rootCause}` },
      { key: "l", label: t("经验教训", "Lessons"), children: review.lessons },
      ...(review.correctiveActions ? [{ key: "a", label: t("整改措施", "Corrective actions"), children: review.correctiveActions }] : []),
      ...(review.tags.length ? [{ key: "t", label: t("标签", "Tags"), children: review.tags.map((x) => <Tag key={x}>{x}</Tag>) }] : []),
      { key: "r", label: t("研判人", "Reviewer"), children: `${review.reviewer?.displayName ?? ""} · ${when(review.reviewedAt)}` },
    ]} />
  );
}

export function ReviewForm({ caseId, review, onSaved }: { caseId: string; review: ReviewDetailFragment | null; onSaved: (r: ReviewDetailFragment) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const verdict = Form.useWatch("verdict", form);

  const save = useAction("reviewCase", async (key, v: Values) => {
    const input = { caseId, ...v, correctiveActions: v.correctiveActions ?? "", tags: v.tags ?? [], expectedVersion: review?.version ?? null };
    const saved = check((await request(ReviewCaseDoc, { input, key })).reviewCase).review;
    if (saved) onSaved(saved);
  });
  const { busy, error } = save;

  const submit = () => submitForm(form, save); // a second press while busy is the same act

  const initial: Partial<Values> = review
    ? { verdict: review.verdict, rootCauseCategory: review.rootCauseCategory, rootCause: review.rootCause, lessons: review.lessons,
        correctiveActions: review.correctiveActions, tags: review.tags, shared: review.shared }
    : { verdict: "CAUTIONARY", shared: false, tags: [] };
  const required = { required: true, message: t("必填", "Required") };
  return (
    <div onKeyDown={formKeys(() => void submit(), () => undefined)} data-testid="review-form">
      <Typography.Title level={5}>{review ? <L zh={`修订研判（第 ${review.version} 版）`} en={`Revise (version ${review.version})`} /> : <L zh="研判" en="Review" />}</Typography.Title>
      <Form<Values> form={form} layout="vertical" initialValues={initial} disabled={busy} requiredMark>
        <Form.Item name="verdict" label={t("结论", "Verdict")} rules={[required]}>
          <Segmented options={VERDICTS.map((x) => ({ value: x.value, label: t(x.zh, x.en) }))} />
        </Form.Item>
        <Form.Item name="rootCauseCategory" label={t("根因分类", "Root-cause category")} rules={[required]}>
          <Select options={ROOT_CAUSES.map((x) => ({ value: x.value, label: t(x.zh, x.en) }))} placeholder={t("选择", "Choose")} />
        </Form.Item>
        <Form.Item name="rootCause" label={t("根因", "Root cause")} rules={[required]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="lessons" label={t("经验教训", "Lessons")} rules={[required]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="correctiveActions" label={t("整改措施", "Corrective actions")}
                   rules={verdict === "CAUTIONARY" ? [{ required: true, message: t("警示案例须写整改措施", "Required for a cautionary case") }] : []}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="tags" label={t("标签（回车添加）", "Tags (Enter adds)")}>
          <Select mode="tags" maxCount={10} open={false} aria-label={t("标签", "Tags")} />
        </Form.Item>
        <Form.Item name="shared" label={t("全公司分享", "Share with every project")} valuePropName="checked">
          <Switch aria-label={t("全公司分享", "Share")} />
        </Form.Item>
        <Button type="primary" onClick={() => void submit()} loading={busy} data-testid="review-submit">
          <L zh="保存研判" en="Save review" /> (Ctrl+Enter)
        </Button>
      </Form>
      <FormError error={error} />
    </div>
  );
}
