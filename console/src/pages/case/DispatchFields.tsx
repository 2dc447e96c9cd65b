// 派单: who is on duty for this case, best first (digits 1–9 pick one), or 0 = whoever is on duty.
import { Form, Radio, Space, Tag, type FormInstance } from "antd";
import { useEffect, useRef } from "react";
import { useQuery } from "../../api/useQuery";
import type { CaseDetailFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { ErrorBanner, Loading } from "../../ui/states";
import type { FormValues } from "./actions";
import { ProposalsDoc } from "./queries";

export function DispatchFields({ c, form }: { c: CaseDetailFragment; form: FormInstance<FormValues> }) {
  const t = useT();
  const { data, error, loading } = useQuery(ProposalsDoc, { caseId: c.id });
  const people = (data?.dispatchProposals ?? []).filter((p) => p.user);
  const list = useRef(people);
  list.current = people;
  useEffect(() => {
    const pick = (e: KeyboardEvent) => {
      const d = Number(e.key);
      if (e.ctrlKey || e.isComposing || !/^[0-9]$/.test(e.key)) return;
      if (d === 0) form.setFieldValue("who", "onDuty");
      else if (list.current[d - 1]) form.setFieldValue("who", list.current[d - 1].user!.id);
    };
    window.addEventListener("keydown", pick);
    return () => window.removeEventListener("keydown", pick);
  }, [form]);
  const until = (at: string) => new Date(at).toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit" });
  return (
    <div>
      <ErrorBanner error={error} />
      {loading && !data ? <Loading rows={3} /> : (
        <Form.Item name="who" label={<L zh="派给" en="Send to" />} extra={people.length === 0 && t("现在无人值班：派给值班人员将升级。", "Nobody on duty: dispatching to duty escalates.")}>
          <Radio.Group aria-label={t("派给", "Send to")}>
            <Space direction="vertical">
              <Radio value="onDuty" autoFocus>0 <L zh="值班人员（自动选择工单最少者）" en="Whoever is on duty" /></Radio>
              {people.map((p, i) => (
                <Radio key={p.user!.id} value={p.user!.id}>
                  <span data-testid="dispatch-proposal">
                  {i + 1} {p.user!.displayName} <span className="fc-beside">{p.department?.name} · {t(`在办 ${p.openCases}`, `${p.openCases} open`)} · {t(`值班至 ${until(p.shiftEndsAt)}`, `until ${until(p.shiftEndsAt)}`)}</span>
                  {p.matchesCategory && <Tag color="blue" style={{ marginLeft: 4 }}>{t("对口", "Matches")}</Tag>}</span>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
      )}
    </div>
  );
}
