// 案例研判 HQ's review of the case, read only here: verdict, root cause, lessons, corrective actions.
import { Card, Descriptions, Tag } from "antd";
import type { CaseReadPanelsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { beijingTime } from "../../ui/Deadline";

type Review = NonNullable<CaseReadPanelsQuery["caseReview"]>;

export function CaseReviewPanel({ review: r }: { review: Review }) {
  const t = useT();
  return (
    <Card size="small" style={{ marginTop: 12 }} data-testid="case-review"
          title={<span><L zh="案例研判" en="Case review" /> <Tag>{r.verdictLabel}</Tag>{r.shared && <Tag>{t("全公司分享", "Shared")}</Tag>}</span>}>
      <Descriptions size="small" column={1} items={[
        { key: "cause", label: t("根因", "Root cause"), children: <span>{r.rootCauseLabel}：{r.rootCause}</span> },
        { key: "lessons", label: t("经验教训", "Lessons"), children: r.lessons },
        ...(r.correctiveActions ? [{ key: "actions", label: t("整改措施", "Corrective actions"), children: r.correctiveActions }] : []),
        ...(r.tags.length ? [{ key: "tags", label: t("标签", "Tags"), children: r.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) }] : []),
        { key: "by", label: t("研判", "Reviewed"), children: <span className="fc-num">{beijingTime(r.reviewedAt)} · {r.reviewer?.displayName ?? "—"} · v{r.version}</span> },
      ]} />
    </Card>
  );
}
