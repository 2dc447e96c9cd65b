// 进度 What the resident sees of the case (the owner app's view), word for word.
import { Card, Timeline } from "antd";
import type { CasePageQuery } from "../../gql/graphql";
import { L } from "../../i18n";

export function ResidentProgress({ progress }: { progress: CasePageQuery["caseProgress"] }) {
  if (!progress) return null;
  return (
    <Card size="small" title={<L zh="业主看到的进度" en="As the resident sees it" />} style={{ marginTop: 12 }} data-testid="case-progress">
      <Timeline items={[...progress.steps].reverse().map((s, i) => ({
        key: i,
        color: i === 0 ? "blue" : "gray",
        children: (
          <div>
            <b>{s.title}</b> <span className="fc-beside fc-num">{new Date(s.at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" })}</span>
            <div>{s.message}</div>
          </div>
        ),
      }))} />
    </Card>
  );
}
