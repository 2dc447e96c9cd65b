// 来电识别 One box finds the caller by phone or part of a flat number (3-1-1202, 3栋1202, 1202) and
// offers their flats as buttons; picking one fills the form's flat and reporter. Masked data only.
// Enter searches; ↑/↓ move a highlighted flat, Enter then picks it; Esc clears (docs/archive.md §8).
import { Alert, Button, Input, Space, Tag, Typography } from "antd";
import { useState, type KeyboardEvent } from "react";
import { Link } from "react-router-dom";
import { ApiError, request } from "../../api/client";
import { graphql } from "../../gql";
import type { CallerLookupQuery } from "../../gql/graphql";
import { L, useT } from "../../i18n";

const CallerLookupDoc = graphql(`
  query CallerLookup($phone: String, $flat: String, $projectId: ID) {
    callerLookup(phone: $phone, flat: $flat, projectId: $projectId) {
      residents {
        id name phoneMasked
        occupancies { role roleLabel unit { id label building { project { id } } } }
        openCases { id number }
      }
      units { id label building { project { id } } }
    }
  }
`);

type Found = CallerLookupQuery["callerLookup"];

export interface Picked {
  unitId: string;
  unitLabel: string;
  projectId: string;
  residentId?: string;
  residentName?: string;
}

// A caller's number rather than a flat: seven digits or more once separators go (no flat number is
// that long), or a leading +. NFKC first: an IME types full-width digits (１３８…).
export const looksLikePhone = (s: string) => {
  const d = s.normalize("NFKC").replace(/[\s\-()（）]/g, "");
  return d.startsWith("+") || (/^\d+$/.test(d) && d.length >= 7);
};

export function CallerSearch({ projectId, onPick }: { projectId: string | undefined; onPick: (p: Picked) => void }) {
  const t = useT();
  const [typed, setTyped] = useState("");
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [active, setActive] = useState(-1); // the highlighted flat among the choices, -1 for none
  const [searchedFor, setSearchedFor] = useState<string | null>(null);

  async function search() {
    const q = typed.trim();
    if (!q) return;
    setBusy(true);
    setError(null);
    setActive(-1);
    try {
      const vars = looksLikePhone(q) ? { phone: q } : { flat: q, projectId };
      setFound((await request(CallerLookupDoc, vars)).callerLookup);
      setSearchedFor(typed);
    } catch (e) {
      setFound(null);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  // A flat found by number: its one current occupant is the likely caller; several, the agent picks.
  const units = found?.units ?? [];
  const residents = found?.residents ?? [];
  const offered = new Set(residents.flatMap((r) => r.occupancies.map((o) => o.unit.id)));
  const otherUnits = units.filter((u) => !offered.has(u.id));
  // Every flat button in the order shown, so ↑/↓ walk them as the eye reads them.
  const choices: Picked[] = [
    ...residents.flatMap((r) => r.occupancies.map((o) => ({
      unitId: o.unit.id, unitLabel: o.unit.label, projectId: o.unit.building.project?.id ?? "", residentId: r.id, residentName: r.name }))),
    ...otherUnits.map((u) => ({ unitId: u.id, unitLabel: u.label, projectId: u.building.project?.id ?? "" })),
  ];
  const indexOf = (unitId: string, residentId?: string) =>
    choices.findIndex((c) => c.unitId === unitId && c.residentId === residentId);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      setTyped("");
      setFound(null);
      setError(null);
      setActive(-1);
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && choices.length && !e.nativeEvent.isComposing) {
      e.preventDefault(); // the caret stays where it is
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((i) => (i < 0 ? (step > 0 ? 0 : choices.length - 1) : Math.min(Math.max(i + step, 0), choices.length - 1)));
    }
  };
  // Enter picks the highlighted flat while the box still holds what found it; anything newly typed
  // is searched for. The search button always searches.
  const onSearch = (_: string, e?: { type?: string }) => {
    if (e?.type === "keydown" && active >= 0 && active < choices.length && typed === searchedFor) onPick(choices[active]);
    else void search();
  };
  return (
    <div data-testid="caller-search" style={{ marginBottom: 16 }}>
      <Input.Search value={typed} onChange={(e) => setTyped(e.target.value)} onKeyDown={onKeyDown} loading={busy}
                    onSearch={onSearch} autoFocus allowClear aria-keyshortcuts="ArrowUp ArrowDown Enter Escape"
                    aria-label={t("来电号码或房号", "Caller's phone or flat")}
                    placeholder={t("来电号码或房号，如 13800138000、3-1-1202", "Phone or flat, e.g. 13800138000, 3-1-1202")} />
      {error && <Alert type="warning" showIcon style={{ marginTop: 8 }} message={error} />}
      {found && residents.length === 0 && units.length === 0 && (
        <Typography.Text type="secondary" data-testid="caller-none">
          <L zh="未找到：可选公共区域，或输入房号查找" en="Nobody found: pick a public area, or search by flat" />
        </Typography.Text>
      )}
      {residents.map((r) => (
        <div key={r.id} data-testid="caller-resident" style={{ marginTop: 8 }}>
          <Space wrap>
            <strong>{r.name}</strong>
            <span>{r.phoneMasked}</span>
            {r.openCases.length > 0 && (
              <Link to={`/cases/${r.openCases[0].id}`} title={r.openCases.map((c) => c.number).join(" ")}>
                <Tag color="orange" data-testid="caller-open-cases">{t("未完成工单", "Open cases")} {r.openCases.length}</Tag>
              </Link>
            )}
            {r.occupancies.map((o) => {
              const i = indexOf(o.unit.id, r.id);
              return (
                <Button key={o.unit.id} size="small" data-testid="caller-unit" type={i === active ? "primary" : "default"}
                        data-active={i === active} onClick={() => onPick(choices[i])}>
                  {o.unit.label} · {o.roleLabel}
                </Button>
              );
            })}
          </Space>
        </div>
      ))}
      {!!otherUnits.length && (
        <Space wrap style={{ marginTop: 8 }}>
          {otherUnits.map((u) => {
            const i = indexOf(u.id);
            return (
              <Button key={u.id} size="small" data-testid="caller-unit" type={i === active ? "primary" : "default"}
                      data-active={i === active} onClick={() => onPick(choices[i])}>
                {u.label}
              </Button>
            );
          })}
        </Space>
      )}
    </div>
  );
}
