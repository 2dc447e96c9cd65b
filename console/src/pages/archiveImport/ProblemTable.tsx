// The row-by-row report: where Excel shows each problem (sheet, row, column) and what is wrong,
// filtered by sheet; the same as a workbook for whoever fixes the file.
import { Button, Segmented, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useMemo, useState } from "react";
import { download } from "../../api/documents";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import type { Job } from "./useImport";

type Problem = Job["problems"][number];

export function ProblemTable({ job }: { job: Job }) {
  const t = useT();
  const sheets = useMemo(() => [...new Set(job.problems.map((p) => p.sheet || t("文件", "File")))], [job.problems, t]);
  const [sheet, setSheet] = useState<string>("");
  const shown = sheet ? job.problems.filter((p) => (p.sheet || t("文件", "File")) === sheet) : job.problems;
  const save = useAction("report", async () => download(job.reportPath, `导入问题-${job.fileName || "report"}.xlsx`));
  const columns: ColumnsType<Problem> = [
    { title: <L zh="工作表" en="Sheet" />, dataIndex: "sheet", width: 90, render: (v: string) => v || t("文件", "File") },
    { title: <L zh="行" en="Row" />, dataIndex: "row", width: 70, render: (v: number) => (v ? v : "—") },
    { title: <L zh="列" en="Column" />, dataIndex: "column", width: 130 },
    { title: <L zh="值" en="Value" />, dataIndex: "value", width: 150 },
    { title: <L zh="问题" en="Problem" />, dataIndex: "problem" },
  ];
  return (
    <div data-testid="problems">
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented<string> value={sheet} onChange={setSheet} data-testid="problem-sheet"
                           options={[{ value: "", label: t("全部", "All") }, ...sheets.map((s) => ({ value: s, label: s }))]} />
        <Button onClick={() => void save.run()} loading={save.busy} data-testid="download-report">
          <L zh="下载问题表 (Excel)" en="Download as Excel" />
        </Button>
        {job.problemCount > job.problems.length && (
          <Typography.Text type="secondary">
            <L zh={`共 ${job.problemCount} 个问题，列出前 ${job.problems.length} 个`}
               en={`${job.problemCount} problems; the first ${job.problems.length} listed`} />
          </Typography.Text>
        )}
      </Space>
      <FormError error={save.error} />
      <Table<Problem> rowKey={(p) => `${p.sheet}:${p.row}:${p.column}:${p.code}`} columns={columns} dataSource={shown}
                      size="small" pagination={{ pageSize: 50, hideOnSinglePage: true }} data-testid="problem-table" />
    </div>
  );
}

export function Counts({ job }: { job: Job | { counts: Job["counts"] } }) {
  return (
    <Table rowKey="sheet" size="small" pagination={false} style={{ maxWidth: 520 }} data-testid="import-counts"
           dataSource={job.counts}
           columns={[
             { title: <L zh="工作表" en="Sheet" />, dataIndex: "sheet" },
             { title: <L zh="新增" en="Created" />, dataIndex: "created", align: "right" },
             { title: <L zh="更新" en="Updated" />, dataIndex: "updated", align: "right" },
             { title: <L zh="未变" en="Unchanged" />, dataIndex: "unchanged", align: "right" },
           ]} />
  );
}
