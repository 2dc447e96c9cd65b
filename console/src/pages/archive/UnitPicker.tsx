// Pick a flat by part of its number as the agent says it (3-2-1502, 3栋1502, 1502): callerLookup's
// flat search, at most 20 matches.
import { Select } from "antd";
import { useRef, useState } from "react";
import { request } from "../../api/client";
import { useT } from "../../i18n";
import { FlatOptionsDoc } from "./queries";

interface Props {
  projectId: string; value?: string; onChange?: (id: string | undefined) => void; testId?: string;
  /** The flat already chosen (an edit), so the field shows its label rather than its id. */
  initial?: { id: string; label: string } | null;
}

export function UnitPicker({ projectId, value, onChange, testId = "unit-picker", initial }: Props) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>(initial ? [{ value: initial.id, label: initial.label }] : []);
  const [searching, setSearching] = useState(false);
  const latest = useRef(0);
  async function search(typed: string) {
    const ticket = ++latest.current;
    if (!/\d/.test(typed.normalize("NFKC"))) {
      setOptions([]);
      return;
    }
    setSearching(true);
    try {
      const found = (await request(FlatOptionsDoc, { flat: typed, projectId })).callerLookup.units;
      if (ticket === latest.current) setOptions(found.map((u) => ({ value: u.id, label: u.label })));
    } catch {
      if (ticket === latest.current) setOptions([]); // nothing to look for yet: the agent keeps typing
    } finally {
      if (ticket === latest.current) setSearching(false);
    }
  }
  return (
    <Select showSearch allowClear value={value} onChange={(v: string | undefined) => onChange?.(v)} filterOption={false}
            onSearch={(s) => void search(s)} loading={searching} options={options} data-testid={testId} style={{ width: 260 }}
            placeholder={t("输入房号，如 3-2-1502", "Type a flat, e.g. 3-2-1502")}
            notFoundContent={t("输入房号查找", "Type a flat number")} />
  );
}
