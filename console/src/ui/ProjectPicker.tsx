// The project a page is about, and the header that picks it: the page's title, a project select
// (searchable: HQ may hold hundreds), then whatever the page puts beside them (week buttons,
// filters). The choice lives in the address (?project=), so a reload or a shared link keeps it;
// with none there, the first project offered is written back, replacing the history entry.
import { Select, Space, Typography } from "antd";
import { useCallback, useEffect, type CSSProperties, type ReactNode } from "react";
import { useSearchParams } from "react-router-dom";
import { L, useT } from "../i18n";

export interface ProjectOption { id: string; name: string; code: string }

/** ?project= in the address, else the first project offered (written back); and a setter. */
export function useProjectParam(projects: ProjectOption[]): [string | null, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  const chosen = params.get("project");
  const first = projects[0]?.id ?? null;
  useEffect(() => {
    if (!chosen && first) setParams((p) => { p.set("project", first); return p; }, { replace: true });
  }, [chosen, first, setParams]);
  const choose = useCallback((id: string) => setParams((p) => { p.set("project", id); return p; }), [setParams]);
  return [chosen ?? first, choose];
}

interface SelectProps {
  projects: ProjectOption[];
  value: string | null;
  onChange: (id: string) => void;
  testId?: string;
  loading?: boolean;
  style?: CSSProperties;
}

export function ProjectSelect({ projects, value, onChange, testId, loading, style }: SelectProps) {
  const t = useT();
  return (
    <Select style={{ minWidth: 220, ...style }} value={value ?? undefined} placeholder={t("选择项目", "Choose a project")}
            aria-label={t("项目", "Project")} showSearch={{ optionFilterProp: "label" }} loading={loading} data-testid={testId}
            options={projects.map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }))}
            onChange={(v: string) => onChange(v)} />
  );
}

/** A page's first line: its title, the project select, then the page's own controls. */
export function ProjectHeader({ zh, en, children, ...select }: SelectProps & { zh: string; en: string; children?: ReactNode }) {
  return (
    <Space wrap style={{ marginBottom: 12 }} data-testid="project-header">
      <Typography.Title level={4} style={{ margin: 0 }}><L zh={zh} en={en} /></Typography.Title>
      <ProjectSelect {...select} />
      {children}
    </Space>
  );
}
