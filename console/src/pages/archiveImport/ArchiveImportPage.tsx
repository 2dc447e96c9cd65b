// 档案导入 Archive import (docs/archive.md §8): the template; a project; the workbook uploaded
// (POST /uploads/archive with the session's token) and dry-run at once; its counts or its problem
// table; 确认导入 from the same upload with a progress bar; the project's recent imports.
// `?kind=fee_opening` (the fees page's 期初导入, fee:import) runs the same pipeline on the 期初欠费
// workbook: its own template and upload kind (docs/resident-services.md, "As built (slice 7)").
// The API decides every step (archive:import on the project); its refusals show where the user acted.
import { InboxOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Progress, Segmented, Select, Space, Table, Tag, Typography, Upload } from "antd";
import { useCallback, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { ApiError, check, request } from "../../api/client";
import { download, uploadFile } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { RecentArchiveImportsQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, asApiError, useAction } from "../../ui/action";
import { ErrorBanner, Nothing } from "../../ui/states";
import { Counts, ProblemTable } from "./ProblemTable";
import { ImportArchiveDoc, ImportProjectsDoc, RecentImportsDoc } from "./queries";
import { running, useImport, type Job } from "./useImport";

interface Uploaded { uploadId: string; size: number; sha256: string; fileName: string }
type Recent = RecentArchiveImportsQuery["archiveImports"][number];

const STATE_COLOURS: Record<string, string> = { QUEUED: "default", RUNNING: "processing", SUCCEEDED: "success", REJECTED: "warning", FAILED: "error" };
type Kind = "archive" | "fee_opening";
const KINDS: Record<Kind, { zh: string; en: string; template: string; templateName: string }> = {
  archive: { zh: "档案导入", en: "Archive import", template: "/export/archive/template.xlsx", templateName: "档案导入模板.xlsx" },
  fee_opening: { zh: "期初欠费导入", en: "Opening balances import", template: "/export/fees/opening-template.xlsx", templateName: "期初欠费导入模板.xlsx" },
};

const when = (at: string | null | undefined) => (at ? new Date(at).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—");

export default function ArchiveImportPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const projects = useQuery(ImportProjectsDoc, {});
  const list = useMemo(() => projects.data?.projects.edges.map((e) => e.node) ?? [], [projects.data]);
  const projectId = params.get("project") ?? list[0]?.id ?? null;
  const { viewer } = useAuth();
  const mayFees = can(viewer, "FEE_IMPORT", projectId);
  const kind: Kind = params.get("kind") === "fee_opening" ? "fee_opening" : "archive";
  const about = KINDS[kind];
  const recent = useQuery(RecentImportsDoc, { projectId: projectId ?? "" }, !projectId);
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [checkId, setCheckId] = useState<string | null>(null);
  const [applyId, setApplyId] = useState<string | null>(null);
  const refreshRecent = useCallback(() => void recent.refetch(), [recent]);
  const checked = useImport(checkId, refreshRecent);
  const applied = useImport(applyId, refreshRecent);

  const start = useAction("uploadArchive", async (key, file: File) => {
    if (!projectId) throw new ApiError("VALIDATION", t("请先选择项目。", "Choose a project first."));
    setCheckId(null);
    setApplyId(null);
    setUploaded(null);
    const path = `/uploads/archive?project=${encodeURIComponent(projectId)}&name=${encodeURIComponent(file.name)}`
      + (kind === "archive" ? "" : `&kind=${kind}`);
    const u = await uploadFile<Uploaded>(path, file);
    setUploaded(u);
    const payload = check((await request(ImportArchiveDoc, { uploadId: u.uploadId, dryRun: true, key })).importArchive);
    setCheckId(payload.import?.id ?? null);
    refreshRecent();
  });
  const confirm = useAction("importArchive", async (key) => {
    if (!uploaded) return;
    const payload = check((await request(ImportArchiveDoc, { uploadId: uploaded.uploadId, dryRun: false, key })).importArchive);
    setApplyId(payload.import?.id ?? null);
    refreshRecent();
  });
  const template = useAction("template", async () => download(about.template, about.templateName));
  const reset = () => { setUploaded(null); setCheckId(null); setApplyId(null); };

  const dry = checked.job;
  const real = applied.job;
  const canApply = !!uploaded && dry?.state === "SUCCEEDED" && !applyId;
  return (
    <div className="fc-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="import-title"><L zh={about.zh} en={about.en} /></Typography.Title>
        {(mayFees || kind === "fee_opening") && (
          <Segmented value={kind} aria-label={t("导入类型", "What to import")} data-testid="import-kind"
                     onChange={(v) => { setParams((p) => { if (v === "archive") p.delete("kind"); else p.set("kind", String(v)); return p; }); reset(); }}
                     options={[{ value: "archive", label: t("档案", "Archive") }, { value: "fee_opening", label: t("期初欠费", "Opening balances") }]} />
        )}
        <Select style={{ minWidth: 220 }} value={projectId ?? undefined} placeholder={t("选择项目", "Choose a project")}
                aria-label={t("项目", "Project")} data-testid="import-project"
                options={list.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
                onChange={(v: string) => {
                  setParams((p) => { p.set("project", v); return p; });
                  reset();
                }} />
        <Button onClick={() => void template.run()} loading={template.busy} data-testid="download-template">
          <L zh="下载导入模板" en="Download the template" />
        </Button>
        {kind === "fee_opening" && projectId && (
          <Link to={`/fees?project=${encodeURIComponent(projectId)}`} data-testid="import-to-fees"><L zh="返回收费" en="Back to fees" /></Link>
        )}
      </Space>
      {kind === "fee_opening" && (
        <Typography.Paragraph type="secondary" data-testid="import-kind-help">
          <L zh="期初欠费：系统上线前各户未缴的账单（房屋、收费项目、账期、金额、应缴日期）。导入前请先导入档案并建好收费项目。"
             en="Opening balances: each flat's unpaid bills from before the system (flat, item, month, amount, due date). Import the archive and add the charge items first." />
        </Typography.Paragraph>
      )}
      <ErrorBanner error={projects.error} onRetry={() => void projects.refetch()} />
      <FormError error={template.error} testId="template-error" />
      {!projectId && !projects.loading ? <Nothing zh="没有可导入的项目。" en="No project to import into." /> : (
        <>
          <Upload.Dragger accept=".xlsx" multiple={false} showUploadList={false} disabled={start.busy || running(dry) || running(real)}
                          beforeUpload={(file) => { void start.run(file); return false; }} data-testid="import-file">
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text"><L zh="点击或拖入 Excel 工作簿（.xlsx，20 MB 以内）" en="Click or drop an Excel workbook (.xlsx, up to 20 MB)" /></p>
            <p className="ant-upload-hint"><L zh="上传后自动试导入：只检查和统计，不写入档案" en="It is dry-run at once: checked and counted, nothing written" /></p>
          </Upload.Dragger>
          <FormError error={start.error} testId="upload-error" />
          {uploaded && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="uploaded">
              {uploaded.fileName} · {(uploaded.size / 1024).toFixed(0)} KB
            </Typography.Paragraph>
          )}
          {checkId && <DryRun job={dry} error={checked.error} />}
          {canApply && (
            <Space style={{ margin: "12px 0" }}>
              <Button type="primary" onClick={() => void confirm.run()} loading={confirm.busy} data-testid="confirm-import">
                <L zh="确认导入" en="Import" />
              </Button>
              <Typography.Text type="secondary">
                <L zh="全部写入；任何一行有问题则全部不写入" en="Everything is written, or with any problem nothing" />
              </Typography.Text>
            </Space>
          )}
          <FormError error={confirm.error} testId="confirm-error" />
          {applyId && <Applied job={real} error={applied.error} />}
          <RecentImports rows={recent.data?.archiveImports ?? []} error={recent.error} />
        </>
      )}
    </div>
  );
}

function Bar({ job }: { job: Job | null }) {
  const percent = job?.progress == null ? 0 : Math.round(job.progress * 100);
  return (
    <div data-testid="import-progress">
      <Progress percent={percent} status={running(job) ? "active" : undefined} />
      <Typography.Text type="secondary">
        {job?.state === "QUEUED" ? <L zh="排队中…" en="Queued…" />
          : <L zh={`已读 ${job?.rowsDone ?? 0}${job?.rowsTotal ? ` / ${job.rowsTotal}` : ""} 行`}
               en={`${job?.rowsDone ?? 0}${job?.rowsTotal ? ` of ${job.rowsTotal}` : ""} rows read`} />}
      </Typography.Text>
    </div>
  );
}

function DryRun({ job, error }: { job: Job | null; error: ApiError | null }) {
  return (
    <Card size="small" style={{ marginTop: 12 }} title={<L zh="试导入" en="Dry run" />} data-testid="dry-run">
      <FormError error={error} testId="poll-error" />
      {running(job) || !job ? <Bar job={job} /> : job.state === "SUCCEEDED" ? (
        <>
          <Alert type="success" showIcon style={{ marginBottom: 8 }} data-testid="dry-run-ok"
                 message={<L zh="检查通过，可以导入。导入将：" en="No problems found. Importing will:" />} />
          <Counts job={job} />
        </>
      ) : job.state === "REJECTED" ? (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="dry-run-problems"
                 message={<L zh={`发现 ${job.problemCount} 个问题。请修改工作簿后重新上传（未写入任何数据）。`}
                             en={`Problems found: ${job.problemCount}. Fix the workbook and upload it again (nothing was written).`} />} />
          <ProblemTable job={job} />
        </>
      ) : <Alert type="error" showIcon message={job.error ?? job.stateLabel} data-testid="dry-run-failed" />}
    </Card>
  );
}

function Applied({ job, error }: { job: Job | null; error: ApiError | null }) {
  return (
    <Card size="small" style={{ marginTop: 12 }} title={<L zh="导入" en="Import" />} data-testid="apply">
      <FormError error={error} testId="apply-poll-error" />
      {running(job) || !job ? <Bar job={job} /> : job.state === "SUCCEEDED" ? (
        <>
          <Alert type="success" showIcon style={{ marginBottom: 8 }} data-testid="import-done"
                 message={<L zh="导入完成。" en="Imported." />} />
          <Counts job={job} />
        </>
      ) : job.state === "REJECTED" ? (
        <>
          <Alert type="warning" showIcon style={{ marginBottom: 8 }}
                 message={<L zh="导入时发现问题，未写入任何数据。" en="Problems were found while importing: nothing was written." />} />
          <ProblemTable job={job} />
        </>
      ) : <Alert type="error" showIcon message={job.error ?? job.stateLabel} data-testid="import-failed" />}
    </Card>
  );
}

function RecentImports({ rows, error }: { rows: Recent[]; error: ApiError | null }) {
  return (
    <Card size="small" style={{ marginTop: 16 }} title={<L zh="最近导入" en="Recent imports" />}>
      <ErrorBanner error={error ? asApiError(error) : null} />
      <Table<Recent> rowKey="id" size="small" pagination={false} dataSource={rows} data-testid="recent-imports"
                     locale={{ emptyText: <L zh="还没有导入过。" en="Nothing imported yet." /> }}
                     columns={[
                       { title: <L zh="时间" en="When" />, dataIndex: "createdAt", render: when, width: 170 },
                       { title: <L zh="文件" en="File" />, dataIndex: "fileName" },
                       { title: <L zh="类型" en="Kind" />, dataIndex: "dryRun", width: 150,
                         render: (d: boolean, r) => <span>{r.kind === "fee_opening" && <Tag><L zh="期初欠费" en="Opening" /></Tag>}
                           {d ? <L zh="试导入" en="Dry run" /> : <L zh="导入" en="Import" />}</span> },
                       { title: <L zh="状态" en="State" />, dataIndex: "stateLabel", width: 130,
                         render: (label: string, r) => <Tag color={STATE_COLOURS[r.state]}>{label}</Tag> },
                       { title: <L zh="新增/更新" en="Created/updated" />, key: "n", width: 110,
                         render: (_: unknown, r) => `${r.counts.reduce((n, c) => n + c.created, 0)} / ${r.counts.reduce((n, c) => n + c.updated, 0)}` },
                       { title: <L zh="问题" en="Problems" />, dataIndex: "problemCount", width: 80 },
                       { title: <L zh="操作人" en="By" />, key: "by", width: 120, render: (_: unknown, r) => r.createdBy.displayName },
                     ]} />
    </Card>
  );
}
