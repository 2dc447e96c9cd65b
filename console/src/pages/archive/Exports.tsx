// 导出 Excel: one list of a project's archive as the import template's own sheet (phones and ID
// numbers masked), so a list exported, corrected and imported again round-trips; 下载模板, the empty
// workbook; 导入档案, the import page. Fetched with the session's token (a plain link cannot send it) and saved; the API
// records who exported what.
import { App, Button, Space, Tooltip } from "antd";
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from "@ant-design/icons";
import { useState } from "react";
import { Link } from "react-router-dom";
import { download } from "../../api/documents";
import { can, useAuth } from "../../auth";
import { L, useT } from "../../i18n";

export type ExportKind = "buildings" | "units" | "residents" | "parking" | "vehicles" | "pets" | "staff";

// The sheet names of domain/archive/sheets.py, which the server also puts in the file's name.
const SHEET: Record<ExportKind, { zh: string; en: string }> = {
  buildings: { zh: "楼栋", en: "buildings" },
  units: { zh: "房屋", en: "flats" },
  residents: { zh: "住户", en: "residents" },
  parking: { zh: "车位", en: "parking spaces" },
  vehicles: { zh: "车辆", en: "vehicles" },
  pets: { zh: "宠物", en: "pets" },
  staff: { zh: "员工", en: "staff" },
};

const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

function useSave() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const save = async (path: string, name: string) => {
    if (busy) return; // a double click is one file
    setBusy(true);
    try {
      await download(path, name);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, save };
}

/** One list of the project, e.g. 导出住户 → 住户-P1-2026-12-07.xlsx. */
export function ExportButton({ kind, project }: { kind: ExportKind; project: { id: string; code: string } }) {
  const t = useT();
  const { busy, save } = useSave();
  const sheet = SHEET[kind];
  return (
    <Tooltip title={t(`导出本项目全部${sheet.zh}为 Excel（号码打码），可改后再导入`, `All this project's ${sheet.en} as Excel (numbers masked), to edit and import again`)}>
      <Button size="small" icon={<FileExcelOutlined />} loading={busy} data-testid={`export-${kind}`}
              onClick={() => void save(`/export/archive/${kind}.xlsx?project=${encodeURIComponent(project.id)}`,
                                       `${sheet.zh}-${project.code}-${today()}.xlsx`)}>
        {t(`导出${sheet.zh}`, `Export ${sheet.en}`)}
      </Button>
    </Tooltip>
  );
}

export function TemplateButton() {
  const { busy, save } = useSave();
  return (
    <Button size="small" type="link" icon={<DownloadOutlined />} loading={busy} data-testid="export-template"
            onClick={() => void save("/export/archive/template.xlsx", "档案导入模板.xlsx")}>
      <L zh="下载模板" en="Import template" />
    </Button>
  );
}

/** The active tab's lists, the template and (archive:import) the import page, for the header's right-hand side. */
export function TabExports({ tab, project }: { tab: string; project: { id: string; code: string } }) {
  const { viewer } = useAuth();
  const kinds: Record<string, ExportKind[]> = {
    units: ["buildings", "units"], residents: ["residents"], vehicles: ["parking", "vehicles"], pets: ["pets"],
  };
  return (
    <Space size={4} data-testid="archive-exports">
      {(kinds[tab] ?? []).map((k) => <ExportButton key={k} kind={k} project={project} />)}
      <TemplateButton />
      {can(viewer, "ARCHIVE_IMPORT", project.id) && (
        <Link to={`/archive/import?project=${encodeURIComponent(project.id)}`} data-testid="archive-import-link">
          <UploadOutlined /> <L zh="导入档案" en="Import" />
        </Link>
      )}
    </Space>
  );
}
