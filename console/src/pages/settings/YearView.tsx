// The year at a glance: twelve small months, holidays in green, make-up working days in orange,
// weekends greyed. Clicking a day picks it for the form beside (when the viewer may enter days).
import { Tooltip } from "antd";
import dayjs from "dayjs";
import type { CSSProperties } from "react";

interface Day { day: string; working: boolean; name: string }

const HEAD = ["一", "二", "三", "四", "五", "六", "日"];
const cell: CSSProperties = { width: 22, height: 20, lineHeight: "20px", textAlign: "center", fontSize: 11, borderRadius: 3 };

function Month({ year, month, entered, onPick }: { year: number; month: number; entered: Map<string, Day>; onPick?: (day: string) => void }) {
  const first = dayjs(new Date(year, month, 1));
  const lead = (first.day() + 6) % 7; // weeks start on Monday
  const days = Array.from({ length: first.daysInMonth() }, (_, i) => first.add(i, "day"));
  return (
    <div style={{ background: "#fff", border: "1px solid #f0f0f0", borderRadius: 4, padding: 6 }}>
      <div style={{ fontWeight: 600, fontSize: 12, marginBottom: 2 }}>{month + 1}月</div>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(7, 22px)", gap: 1 }}>
        {HEAD.map((h) => <div key={h} style={{ ...cell, color: "#8c8c8c" }}>{h}</div>)}
        {Array.from({ length: lead }, (_, i) => <div key={`lead${i}`} />)}
        {days.map((d) => {
          const iso = d.format("YYYY-MM-DD");
          const e = entered.get(iso);
          const weekend = d.day() === 0 || d.day() === 6;
          const style: CSSProperties = {
            ...cell, cursor: onPick ? "pointer" : "default",
            color: e ? "#fff" : weekend ? "#bfbfbf" : "#262626",
            background: e ? (e.working ? "#fa8c16" : "#52c41a") : undefined,
          };
          const box = <div key={iso} style={style} data-cal={iso} onClick={() => onPick?.(iso)}>{d.date()}</div>;
          return e ? <Tooltip key={iso} title={`${e.name} · ${e.working ? "调休上班" : "放假"}`}>{box}</Tooltip> : box;
        })}
      </div>
    </div>
  );
}

export function YearView({ year, days, onPick }: { year: number; days: Day[]; onPick?: (day: string) => void }) {
  const entered = new Map(days.map((d) => [d.day, d]));
  return (
    <div data-testid="year-view" style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(176px, 1fr))", gap: 8, marginBottom: 12 }}>
      {Array.from({ length: 12 }, (_, m) => <Month key={m} year={year} month={m} entered={entered} onPick={onPick} />)}
    </div>
  );
}
