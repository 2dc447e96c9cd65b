// 记录检查 An inspection as an item grid. In a points cell: digits type the item's points (the first
// digit after arriving replaces, the next ones append, never past the item's maximum), Backspace
// deletes one, N marks 不适用 (n/a) or clears it, ↑/↓ and Enter move, Tab goes on to the comment;
// Ctrl+Enter anywhere records. A deduction needs its reason; a finding becomes a case of the project.
import { Button, Checkbox, DatePicker, Input, Select, Space, Table, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import dayjs, { type Dayjs } from "dayjs";
import { useRef, useState } from "react";
import { ApiError, check, request } from "../../api/client";
import type { ChecklistDetailFragment, InspectionDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { formKeys, widgetKeys } from "../../ui/keys";
import { useProjects } from "./common";
import { FormError, useAction } from "../../ui/action";
import { RecordInspectionDoc } from "./queries";

type Item = ChecklistDetailFragment["items"][number];
interface Score { points: number | null; na: boolean; comment: string; finding: string }
const EMPTY: Score = { points: null, na: false, comment: "", finding: "" };

interface Props {
  checklists: ChecklistDetailFragment[];
  projectId: string | null;
  onRecorded: (i: InspectionDetailFragment) => void;
}

export function InspectionGrid({ checklists, projectId: initialProject, onRecorded }: Props) {
  const t = useT();
  const { projects } = useProjects();
  const active = checklists.filter((c) => c.active);
  const [projectId, setProjectId] = useState<string | null>(initialProject);
  const [chosen, setChecklistId] = useState<string | null>(null);
  const checklistId = chosen ?? active[0]?.id ?? null; // the newest one that is on, until another is chosen
  const [day, setDay] = useState<Dayjs>(dayjs());
  const [note, setNote] = useState("");
  const [draft, setDraft] = useState(false);
  const [scores, setScores] = useState<Record<string, Score>>({});
  const cells = useRef<(HTMLDivElement | null)[]>([]);
  const fresh = useRef(true); // the next digit replaces what the cell holds
  const checklist = active.find((c) => c.id === checklistId);
  const items = checklist?.items ?? [];

  const score = (id: string) => scores[id] ?? EMPTY;
  const put = (id: string, change: Partial<Score>) => setScores((s) => ({ ...s, [id]: { ...(s[id] ?? EMPTY), ...change } }));
  const focus = (i: number) => cells.current[Math.min(Math.max(i, 0), items.length - 1)]?.focus();

  function cellKey(item: Item, i: number) {
    return widgetKeys((name) => {
      const now = score(item.id);
      if (/^\d$/.test(name)) {
        const digit = Number(name);
        const appended = fresh.current || now.points === null ? digit : now.points * 10 + digit;
        put(item.id, { points: appended > item.maxPoints ? digit : appended, na: false });
        fresh.current = false;
        return true;
      }
      if (name === "n") {
        put(item.id, { na: !now.na, points: null });
        return true;
      }
      if (name === "Backspace" || name === "Delete") {
        put(item.id, { points: now.points === null || now.points < 10 ? null : Math.floor(now.points / 10) });
        return true;
      }
      if (name === "ArrowDown" || name === "Enter") {
        focus(i + 1);
        return true;
      }
      if (name === "ArrowUp") {
        focus(i - 1);
        return true;
      }
      return false;
    });
  }

  const fillRest = () => setScores((s) => Object.fromEntries(items.map((it) => {
    const now = s[it.id] ?? EMPTY;
    return [it.id, now.points === null && !now.na ? { ...now, points: it.maxPoints } : now];
  })));

  const save = useAction("recordInspection", async (key) => {
    if (!projectId || !checklist) throw new ApiError("VALIDATION", t("请选择项目和检查表", "Choose a project and a checklist"));
    const input = {
      projectId, checklistId: checklist.id, inspectedOn: day.format("YYYY-MM-DD"), note, submit: !draft,
      results: items.filter((it) => score(it.id).na || score(it.id).points !== null).map((it) => {
        const s = score(it.id);
        return { itemId: it.id, points: s.na ? null : s.points, notApplicable: s.na, comment: s.comment.trim() };
      }),
      findings: items.filter((it) => score(it.id).finding.trim()).map((it) => ({ itemId: it.id, description: score(it.id).finding.trim() })),
    };
    const saved = check((await request(RecordInspectionDoc, { input, key })).recordInspection).inspection;
    setScores({});
    setNote("");
    if (saved) onRecorded(saved);
  });
  const { busy, error } = save;
  const record = () => save.run();


  const total = items.reduce((sum, it) => sum + (score(it.id).points ?? 0), 0);
  const max = items.reduce((sum, it) => sum + (score(it.id).na ? 0 : it.maxPoints), 0);
  const columns: ColumnsType<Item> = [
    { title: "#", dataIndex: "position", width: 36 },
    { title: <L zh="检查项" en="Item" />, key: "title", render: (_, it) => <span>{it.title}{it.guidance && <div className="fc-beside">{it.guidance}</div>}</span> },
    { title: <L zh="满分" en="Max" />, dataIndex: "maxPoints", width: 56, align: "right" },
    { title: <L zh="得分" en="Points" />, key: "points", width: 80, render: (_, it, i) => {
      const s = score(it.id);
      return (
        <div ref={(el) => { cells.current[i] = el; }} tabIndex={0} role="spinbutton" aria-label={t(`第${it.position}项得分`, `Item ${it.position} points`)}
             aria-valuenow={s.points ?? undefined} aria-valuemin={0} aria-valuemax={it.maxPoints} aria-valuetext={s.na ? "不适用" : undefined}
             className="fc-cell fc-num" data-testid="points-cell" data-item={it.position}
             onFocus={() => { fresh.current = true; }} onKeyDown={cellKey(it, i)}>
          {s.na ? t("不适用", "n/a") : s.points ?? "·"}
        </div>
      );
    } },
    { title: <L zh="扣分说明" en="Why points were lost" />, key: "comment", width: 200, render: (_, it) => {
      const s = score(it.id);
      const lost = !s.na && s.points !== null && s.points < it.maxPoints;
      return <Input value={s.comment} onChange={(e) => put(it.id, { comment: e.target.value })} maxLength={1000}
                    status={lost && !s.comment.trim() ? "warning" : undefined} aria-label={t(`第${it.position}项扣分说明`, `Item ${it.position} comment`)}
                    placeholder={lost ? t("扣分须写原因", "Required for a deduction") : ""} />;
    } },
    { title: <L zh="整改项（生成工单）" en="Finding (becomes a case)" />, key: "finding", width: 200, render: (_, it) => (
      <Input value={score(it.id).finding} onChange={(e) => put(it.id, { finding: e.target.value })} maxLength={2000}
             aria-label={t(`第${it.position}项整改项`, `Item ${it.position} finding`)} />
    ) },
  ];

  return (
    <div onKeyDown={formKeys(() => void record(), () => undefined)} data-testid="inspection-grid">
      <Space wrap style={{ marginBottom: 8 }}>
        <Select value={projectId ?? undefined} onChange={setProjectId} placeholder={t("项目", "Project")} style={{ width: 140 }}
                aria-label={t("检查项目", "Project inspected")} options={projects.map((p) => ({ value: p.id, label: p.name }))} />
        <Select value={checklistId ?? undefined} onChange={(v) => { setChecklistId(v); setScores({}); }} style={{ width: 200 }}
                placeholder={t("检查表", "Checklist")} aria-label={t("检查表", "Checklist")} options={active.map((c) => ({ value: c.id, label: c.name }))} />
        <DatePicker value={day} onChange={(d) => d && setDay(d)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), "day")} aria-label={t("检查日期", "Day")} />
      </Space>
      {!checklist ? <Typography.Text type="secondary"><L zh="没有启用的检查表：先在下方新建一张" en="No checklist is on: create one below" /></Typography.Text> : (
        <>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
            <L zh="得分格：数字键输入得分，N 不适用，↑↓ 移动，Tab 到说明，Ctrl+Enter 记录" en="Points cell: digits type, N n/a, ↑↓ move, Tab to the comment, Ctrl+Enter records" />
          </Typography.Paragraph>
          <Table<Item> size="small" rowKey="id" columns={columns} dataSource={items} pagination={false} />
          <Space style={{ marginTop: 8 }} wrap>
            <span className="fc-num" data-testid="grid-total">{t("合计", "Total")} {total} / {max}</span>
            <Button onClick={fillRest}><L zh="未填项记满分" en="Full marks for the rest" /></Button>
            <Input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("备注", "Note")} style={{ width: 220 }} aria-label={t("备注", "Note")} />
            <Checkbox checked={draft} onChange={(e) => setDraft(e.target.checked)}><L zh="仅存草稿" en="Keep as draft" /></Checkbox>
            <Button type="primary" onClick={() => void record()} loading={busy} data-testid="inspection-record">
              <L zh="记录检查" en="Record" /> (Ctrl+Enter)
            </Button>
          </Space>
        </>
      )}
      <FormError error={error} />
    </div>
  );
}
