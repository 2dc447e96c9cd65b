// 将触发预警: the description holds one of the company's risk words (`alertSettings.riskWords`, the
// same substring match the alert rule makes), so registering it will raise an alert. If the
// settings cannot be read, nothing is shown: the API still raises the alert.
import { Tag } from "antd";
import { useQuery } from "../../api/useQuery";
import { graphql } from "../../gql";
import { useT } from "../../i18n";

const RiskWordsDoc = graphql(`
  query IntakeRiskWords {
    alertSettings { riskWords }
  }
`);

export function RiskChip({ text }: { text: string | undefined }) {
  const t = useT();
  const { data } = useQuery(RiskWordsDoc, {});
  const found = (data?.alertSettings.riskWords ?? []).filter((w) => w && text?.includes(w));
  if (!found.length) return null;
  return (
    <Tag color={found.length >= 2 ? "red" : "orange"} data-testid="intake-risk" role="status" style={{ marginTop: 4 }}>
      ⚠ {t("将触发预警", "Will raise an alert")}：{found.join("、")}
    </Tag>
  );
}
