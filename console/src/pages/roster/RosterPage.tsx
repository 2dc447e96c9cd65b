// 值班表 Duty roster: one project's week as a grid (departments × days, Beijing time), each shift a
// block with the person; who is on duty now is marked. Two kinds share the grid: 派单值班 (dispatch:
// whom cases are sent to) and 接访轮值 (reception: the manager at the front desk), the latter
// tagged 接访 and tinted; ?kind= shows one kind only. Planning (add, remove) needs roster:manage
// on the project; the API decides again and its error shows where the user acted.
import { Button, Segmented, Table, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import { can, useAuth } from "../../auth";
import type { RosterQuery, ShiftKind } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ProjectHeader, useProjectParam } from "../../ui/ProjectPicker";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { AddShiftForm } from "./AddShiftForm";
import { RemoveDutyShiftDoc, RosterDoc, RosterProjectsDoc } from "./queries";
import { addDays, beijingDate, dayLabel, hhmm, mondayOf } from "./week";

type Shift = RosterQuery["dutyRoster"][number];
interface Row { id: string; name: string; days: Shift[][] }
const KINDS: ShiftKind[] = ["DISPATCH", "RECEPTION"];

export default function RosterPage() {
  const t = useT();
  const { viewer } = useAuth();
  const [params, setParams] = useSearchParams();
  const projects = useQuery(RosterProjectsDoc, {});
  const list = useMemo(() => projects.data?.projects.edges.map((e) => e.node) ?? [], [projects.data]);
  const [projectId, setProject] = useProjectParam(list);
  const kindParam = params.get("kind");
  const kind = KINDS.find((k) => k === kindParam) ?? null;
  const week = params.get("week") ?? mondayOf(Date.now());
  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => addDays(week, i)), [week]);
  const from = new Date(`${week}T00:00:00+08:00`).toISOString();
  const to = new Date(`${addDays(week, 7)}T00:00:00+08:00`).toISOString();
  const roster = useQuery(RosterDoc, { projectId: projectId ?? "", from, to }, !projectId);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  const manage = can(viewer, "ROSTER_MANAGE", projectId);
  const remove = useAction("removeDutyShift", async (key, shiftId: string) => {
    // The key follows the shift: a retry after an error on another shift is not a conflict.
    check((await request(RemoveDutyShiftDoc, { shiftId, key: `${key}:${shiftId}` })).removeDutyShift);
    await roster.refetch();
  });

  const set = (changes: Record<string, string | null>) => setParams((p) => {
    Object.entries(changes).forEach(([k, v]) => (v === null ? p.delete(k) : p.set(k, v)));
    return p;
  });
  const all = roster.data?.dutyRoster ?? [];
  const shown = kind ? all.filter((s) => s.kind === kind) : all;
  const count = (k: ShiftKind) => all.filter((s) => s.kind === k).length;

  const rows: Row[] = useMemo(() => {
    const data = roster.data;
    if (!data?.project) return [];
    return data.project.departments.map((d) => ({
      id: d.id,
      name: d.name,
      days: days.map((day) => data.dutyRoster.filter((s) => (!kind || s.kind === kind) && s.department?.id === d.id
        && beijingDate(s.startsAt) <= day && beijingDate(new Date(Date.parse(s.endsAt) - 1).toISOString()) >= day)),
    }));
  }, [roster.data, days, kind]);

  const today = beijingDate(new Date(now).toISOString());
  const columns: ColumnsType<Row> = [
    { title: <L zh="部门" en="Department" />, dataIndex: "name", width: 110 },
    ...days.map((day, i) => ({
      title: <span className={day === today ? "fc-today" : undefined}>{dayLabel(day)}</span>,
      key: day,
      width: 130,
      render: (_: unknown, row: Row) => (
        <div className="fc-shifts">
          {row.days[i].map((s) => {
            const onDuty = Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt);
            const reception = s.kind === "RECEPTION";
            return (
              <div key={s.id} className={`fc-shift${reception ? " fc-shift-reception" : ""}${onDuty ? " fc-shift-now" : ""}`}
                   data-testid="shift" data-kind={s.kind}
                   title={`${reception ? t("接访轮值", "Reception") : t("派单值班", "Dispatch")} ${new Date(s.startsAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })} – ${new Date(s.endsAt).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}`}>
                {reception && <Tag color="cyan" data-testid="shift-kind">{t("接访", "Reception")}</Tag>}
                <span className="fc-num">{hhmm(s.startsAt)}–{hhmm(s.endsAt)}</span>
                <span>{s.user?.displayName ?? "—"}</span>
                {onDuty && <Tag color="blue">{t("在岗", "On duty")}</Tag>}
                {manage && (
                  <Button type="link" size="small" danger aria-label={t("撤班", "Remove shift")} disabled={remove.busy}
                          onClick={() => void remove.run(s.id)}>×</Button>
                )}
              </div>
            );
          })}
        </div>
      ),
    })),
  ];

  const data = roster.data;
  return (
    <div className="fc-page">
      <ProjectHeader zh="值班表" en="Duty roster" projects={list} value={projectId} onChange={setProject}
                     loading={projects.loading} testId="roster-project">
        <Button onClick={() => set({ week: addDays(week, -7) })} data-testid="week-prev">‹ <L zh="上一周" en="Previous week" /></Button>
        <span className="fc-num" data-testid="week-range">{week} – {addDays(week, 6)}</span>
        <Button onClick={() => set({ week: addDays(week, 7) })} data-testid="week-next"><L zh="下一周" en="Next week" /> ›</Button>
        <Button onClick={() => set({ week: mondayOf(Date.now()) })}><L zh="本周" en="This week" /></Button>
        <Segmented value={kind ?? "ALL"} aria-label={t("班次类型", "Kind of shift")} data-testid="roster-kind"
                   onChange={(v) => set({ kind: v === "ALL" ? null : String(v) })}
                   options={[
                     { value: "ALL", label: t(`全部 ${all.length}`, `All ${all.length}`) },
                     { value: "DISPATCH", label: t(`派单值班 ${count("DISPATCH")}`, `Dispatch ${count("DISPATCH")}`) },
                     { value: "RECEPTION", label: t(`接访 ${count("RECEPTION")}`, `Reception ${count("RECEPTION")}`) },
                   ]} />
      </ProjectHeader>
      <ErrorBanner error={projects.error ?? roster.error} onRetry={() => void roster.refetch()} />
      <FormError error={remove.error} />
      {manage && data?.project && (
        <AddShiftForm projectId={data.project.id} departments={data.project.departments} members={data.project.members}
                      onAdded={() => void roster.refetch()} />
      )}
      {!projectId && !projects.loading ? <Nothing zh="没有可查看的项目。" en="No project to show." />
        : roster.loading && !data ? <Loading />
        : data && !data.project ? <Nothing zh="无权查看该项目的值班表。" en="This project's roster is not visible to you." />
        : data && rows.length === 0 ? <Nothing zh="该项目还没有部门，请先新增部门。" en="The project has no departments yet: add one first." />
        : (
          <>
            {data && data.dutyRoster.length > 0 && shown.length === 0 && (
              <Typography.Paragraph type="secondary" data-testid="roster-kind-empty">
                <L zh={kind === "RECEPTION" ? "本周没有接访轮值。" : "本周没有派单值班。"}
                   en={kind === "RECEPTION" ? "No reception shifts this week." : "No dispatch shifts this week."} />
              </Typography.Paragraph>
            )}
            {data && data.dutyRoster.length === 0 && (
              <Typography.Paragraph type="secondary" data-testid="roster-empty">
                <L zh={manage ? "本周还没有排班，用上方表单排第一个班。" : "本周还没有排班。"}
                   en={manage ? "No shifts this week: add the first one above." : "No shifts this week."} />
              </Typography.Paragraph>
            )}
            <Table<Row> rowKey="id" columns={columns} dataSource={rows} pagination={false} bordered
                        tableLayout="fixed" data-testid="roster-grid" />
          </>
        )}
    </div>
  );
}
