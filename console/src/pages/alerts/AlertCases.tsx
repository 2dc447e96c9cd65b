// The cases an alert is about, each a link to its case page.
import { List, Tag } from "antd";
import { Link } from "react-router-dom";
import { useQuery } from "../../api/useQuery";
import { AlertCaseDoc } from "./queries";

function AlertCase({ id }: { id: string }) {
  const { data, error } = useQuery(AlertCaseDoc, { id });
  if (error) return <List.Item>{error.message}</List.Item>;
  const c = data?.case;
  if (!data) return <List.Item className="fc-beside">…</List.Item>;
  if (!c) return <List.Item className="fc-beside">无权查看 Not visible</List.Item>;
  return (
    <List.Item data-testid="alert-case">
      <List.Item.Meta
        title={<span><Link to={`/cases/${c.id}`} className="fc-num">{c.number}</Link> <Tag>{c.stateLabel}</Tag></span>}
        description={<span>{c.project?.name} · {c.publicArea ?? ""} {c.description}</span>} />
    </List.Item>
  );
}

export function AlertCases({ ids }: { ids: string[] }) {
  return <List size="small" dataSource={ids} renderItem={(id) => <AlertCase key={id} id={id} />} />;
}
