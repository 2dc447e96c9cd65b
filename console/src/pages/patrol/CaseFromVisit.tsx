// 转工单: an issue found on the walk becomes a case of the patrol channel (caseFromPatrolVisit); the
// route, the point and the note make its description unless one is written.
import { Button, Select, Space } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { CaseKind, Severity } from "../../gql/graphql";
import { useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { KINDS, SEVERITIES } from "../../ui/labels";
import { CaseFromPatrolVisitDoc, PatrolCategoriesDoc } from "./queries";

export function CaseFromVisit({ visitId, onMade }: { visitId: string; onMade: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<CaseKind>("REPAIR");
  const [category, setCategory] = useState<string | null>(null);
  const [severity, setSeverity] = useState<Severity>("GENERAL");
  const categories = useQuery(PatrolCategoriesDoc, { kind }, !open);
  const make = useAction("caseFromPatrolVisit", async (key) => {
    check((await request(CaseFromPatrolVisitDoc, { visitId, key, input: { kind, category: category ?? "", severity } })).caseFromPatrolVisit);
    onMade();
  });
  if (!open) return <Button block onClick={() => setOpen(true)} data-testid="patrol-to-case">{t("转为工单", "Make a case")}</Button>;
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="patrol-case-form">
      <Select value={kind} onChange={(k: CaseKind) => { setKind(k); setCategory(null); }} aria-label={t("类型", "Kind")} style={{ width: "100%" }}
              options={KINDS.map((k) => ({ value: k.value, label: t(k.zh, k.en) }))} />
      <Select value={category ?? undefined} onChange={(c: string) => setCategory(c)} aria-label={t("类别", "Category")} style={{ width: "100%" }}
              placeholder={t("类别", "Category")} loading={categories.loading} data-testid="patrol-case-category"
              options={(categories.data?.caseCategories ?? []).map((c) => ({ value: c.code, label: c.name }))} />
      <Select value={severity} onChange={(s: Severity) => setSeverity(s)} aria-label={t("紧急度", "Severity")} style={{ width: "100%" }}
              options={SEVERITIES.map((s) => ({ value: s.value, label: t(s.zh, s.en) }))} />
      <FormError error={make.error ?? categories.error} />
      <Button type="primary" block disabled={!category || make.busy} loading={make.busy} onClick={() => void make.run()} data-testid="patrol-case-submit">
        {t("登记工单", "Register the case")}
      </Button>
    </Space>
  );
}
