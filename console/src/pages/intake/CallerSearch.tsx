// 来电识别 One box finds the caller by phone or part of a flat number (3-1-1202, 3栋1202, 1202) and
// offers their flats as buttons; picking one fills the form's flat and reporter. Masked data only.
// Enter searches, Esc clears; Tab walks the flats.
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

// Seven digits or more (no flat number is that long), or a leading +: a phone number.
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

  async function search() {
    const q = typed.trim();
    if (!q) return;
    setBusy(true);
    setError(null);
    try {
      const vars = looksLikePhone(q) ? { phone: q } : { flat: q, projectId };
      setFound((await request(CallerLookupDoc, vars)).callerLookup);
    } catch (e) {
      setFound(null);
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const onKeyDown = (e: KeyboardEvent) => {
    // Enter searches through onSearch; Esc starts over.
    if (e.key === "Escape") {
      setTyped("");
      setFound(null);
      setError(null);
    }
  };

  // A flat found by number: its one current occupant is the likely caller; several, the agent picks.
  const units = found?.units ?? [];
  const residents = found?.residents ?? [];
  const offered = new Set(residents.flatMap((r) => r.occupancies.map((o) => o.unit.id)));
  const otherUnits = units.filter((u) => !offered.has(u.id));
  return (
    <div data-testid="caller-search" style={{ marginBottom: 16 }}>
      <Input.Search value={typed} onChange={(e) => setTyped(e.target.value)} onKeyDown={onKeyDown} loading={busy}
                    onSearch={() => void search()} autoFocus allowClear
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
            {r.occupancies.map((o) => (
              <Button key={o.unit.id} size="small" data-testid="caller-unit"
                      onClick={() => onPick({ unitId: o.unit.id, unitLabel: o.unit.label, projectId: o.unit.building.project?.id ?? "",
                                              residentId: r.id, residentName: r.name })}>
                {o.unit.label} · {o.roleLabel}
              </Button>
            ))}
          </Space>
        </div>
      ))}
      {!!otherUnits.length && (
        <Space wrap style={{ marginTop: 8 }}>
          {otherUnits.map((u) => (
            <Button key={u.id} size="small" data-testid="caller-unit"
                    onClick={() => onPick({ unitId: u.id, unitLabel: u.label, projectId: u.building.project?.id ?? "" })}>
              {u.label}
            </Button>
          ))}
        </Space>
      )}
    </div>
  );
}
