// Pick a resident by the start of their name (anyone on file in the project, moved out too), or a
// parking space of the project by area and number.
import { Select } from "antd";
import { useRef, useState } from "react";
import { request } from "../../api/client";
import { useT } from "../../i18n";
import { ResidentOptionsDoc, SpaceOptionsDoc } from "./belongingsQueries";
import { useAllPages } from "./load";

type Option = { value: string; label: string };

interface ResidentProps {
  projectId: string; value?: string; onChange?: (id: string | undefined) => void; testId?: string;
  initial?: { id: string; name: string } | null;
}

export function ResidentPicker({ projectId, value, onChange, testId = "resident-picker", initial }: ResidentProps) {
  const t = useT();
  const [options, setOptions] = useState<Option[]>(initial ? [{ value: initial.id, label: initial.name }] : []);
  const [searching, setSearching] = useState(false);
  const latest = useRef(0);
  async function search(typed: string) {
    const ticket = ++latest.current;
    if (!typed.trim()) return;
    setSearching(true);
    try {
      const found = (await request(ResidentOptionsDoc, { projectId, name: typed.trim() })).residents.edges;
      if (ticket === latest.current) {
        setOptions(found.map(({ node: r }) => ({ value: r.id, label: r.phoneMasked ? `${r.name} · ${r.phoneMasked}` : r.name })));
      }
    } catch {
      if (ticket === latest.current) setOptions([]); // the agent keeps typing
    } finally {
      if (ticket === latest.current) setSearching(false);
    }
  }
  return (
    <Select showSearch allowClear value={value} onChange={(v: string | undefined) => onChange?.(v)} filterOption={false}
            onSearch={(s) => void search(s)} loading={searching} options={options} data-testid={testId} style={{ width: 260 }}
            placeholder={t("输入姓名开头", "Type the start of a name")} notFoundContent={t("输入姓名查找", "Type a name")} />
  );
}

interface SpaceProps {
  projectId: string; value?: string; onChange?: (id: string | undefined) => void; testId?: string; holderId?: string;
  /** The space already chosen (an edit), named while the list loads. */
  initial?: { id: string; area: string; number: string } | null;
}

/** The holder's own spaces first: a vehicle is usually parked on its owner's space. */
export function SpacePicker({ projectId, value, onChange, testId = "space-picker", holderId, initial }: SpaceProps) {
  const t = useT();
  const spaces = useAllPages(async (after) => (await request(SpaceOptionsDoc, { projectId, after })).parkingSpaces, projectId);
  const label = (s: { area: string; number: string }) => (s.area ? `${s.area} ${s.number}` : s.number);
  const rows = [...(spaces.rows ?? (initial ? [{ ...initial, holder: null }] : []))].sort((a, b) => Number(b.holder?.id === holderId) - Number(a.holder?.id === holderId));
  return (
    <Select showSearch allowClear value={value} onChange={(v: string | undefined) => onChange?.(v)} optionFilterProp="label"
            loading={spaces.loading} data-testid={testId} style={{ width: 260 }} placeholder={t("无车位", "No space")}
            options={rows.map((s) => ({ value: s.id, label: holderId && s.holder?.id === holderId ? `${label(s)} · ${t("本人", "theirs")}` : label(s) }))} />
  );
}
