// Pick a flat by part of its number as the resident says it (3-2-1502, 1502): callerLookup's flat search.
import { Select } from "antd";
import { useRef, useState } from "react";
import { request } from "../../api/client";
import { useT } from "../../i18n";
import { FeeFlatsDoc } from "./queries";

export function FlatPicker({ projectId, value, onChange, initialLabel }: {
  projectId: string; value: string | null; onChange: (id: string | null) => void; initialLabel?: string;
}) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  // A flat chosen elsewhere (the arrears list's 收款) is named by its account once that has loaded.
  const shown = value && !options.some((o) => o.value === value) ? [{ value, label: initialLabel ?? "…" }, ...options] : options;
  const latest = useRef(0);
  const search = async (typed: string) => {
    const ticket = ++latest.current;
    if (!/\d/.test(typed.normalize("NFKC"))) return;
    const found = await request(FeeFlatsDoc, { flat: typed, projectId }).catch(() => null);
    if (ticket === latest.current && found) setOptions(found.callerLookup.units.map((u) => ({ value: u.id, label: u.label })));
  };
  return (
    <Select showSearch={{ filterOption: false, onSearch: (s) => void search(s) }} allowClear value={value ?? undefined}
            onChange={(v: string | undefined) => onChange(v ?? null)} options={shown} style={{ width: 260 }}
            data-testid="fee-flat" aria-label={t("房屋", "Flat")} placeholder={t("输入房号，如 3-2-1502", "Type a flat, e.g. 3-2-1502")}
            notFoundContent={t("输入房号查找", "Type a flat number")} />
  );
}
