// A building's flats as floors × flats, the top floor first. Each flat says in text what it is —
// 空置 (grey), the number of people living there, or 未登记 (purple, dashed: nobody on file and not
// marked vacant, a gap in the archive — not red, which is the SLA ladder's) — so the colour is never
// the only sign.
import type { ArchiveUnitFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";

export type FlatState = "occupied" | "vacant" | "unaccounted";

export function flatState(u: ArchiveUnitFragment): FlatState {
  if (u.occupants.length > 0) return "occupied";
  return u.vacant ? "vacant" : "unaccounted";
}

function byPlace(a: ArchiveUnitFragment, b: ArchiveUnitFragment): number {
  return a.entrance.localeCompare(b.entrance, "zh-CN", { numeric: true }) || a.number.localeCompare(b.number, "zh-CN", { numeric: true });
}

export function FlatGrid({ units, onOpen }: { units: ArchiveUnitFragment[]; onOpen: (u: ArchiveUnitFragment) => void }) {
  const t = useT();
  const floors = new Map<number, ArchiveUnitFragment[]>();
  units.forEach((u) => floors.set(u.floor, [...(floors.get(u.floor) ?? []), u]));
  const counts = { occupied: 0, vacant: 0, unaccounted: 0 };
  units.forEach((u) => counts[flatState(u)]++);
  return (
    <div>
      <div className="fc-flat-legend" data-testid="flat-legend">
        <span><i className="fc-flat-key fc-flat-occupied" /><L zh={`有人住 ${counts.occupied}`} en={`occupied ${counts.occupied}`} /></span>
        <span><i className="fc-flat-key fc-flat-vacant" /><L zh={`空置 ${counts.vacant}`} en={`vacant ${counts.vacant}`} /></span>
        <span><i className="fc-flat-key fc-flat-unaccounted" /><L zh={`未登记 ${counts.unaccounted}`} en={`unaccounted ${counts.unaccounted}`} /></span>
      </div>
      <div className="fc-floors" role="grid" aria-label={t("楼层与房屋", "Floors and flats")} data-testid="flat-grid">
        {[...floors.keys()].sort((a, b) => b - a).map((floor) => (
          <div key={floor} className="fc-floor" role="row">
            <span className="fc-floor-no fc-num" role="rowheader">{floor}{t("层", "F")}</span>
            {floors.get(floor)!.sort(byPlace).map((u) => {
              const state = flatState(u);
              return (
                <button key={u.id} type="button" role="gridcell" className={`fc-flat fc-flat-${state}`} data-testid="flat" data-state={state}
                        title={`${u.label} · ${u.useLabel}${u.areaM2 ? ` · ${u.areaM2} m²` : ""}`} onClick={() => onOpen(u)}>
                  <span className="fc-num">{u.entrance ? `${u.entrance}-` : ""}{u.number}</span>
                  <small>{state === "occupied" ? t(`${u.occupants.length}人`, `${u.occupants.length} ppl`)
                    : state === "vacant" ? t("空置", "vacant") : t("未登记", "none")}</small>
                </button>
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
