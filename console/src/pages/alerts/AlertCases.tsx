// The cases an alert is about (those the viewer may see, loaded with the alert), each a link to its case page.
import { List, Tag } from "antd";
import { Link } from "react-router-dom";
import type { AlertRowFragment } from "../../gql/graphql";
import { L } from "../../i18n";

type AlertCase = AlertRowFragment["cases"][number];

export function AlertCases({ cases, named }: { cases: AlertCase[]; named: number }) {
  const hidden = named - cases.length;
  return (
    <>
      <List size="small" dataSource={cases} renderItem={(c) => (
        <List.Item key={c.id} data-testid="alert-case">
          <List.Item.Meta
            title={<span><Link to={`/cases/${c.id}`} className="fc-num">{c.number}</Link> <Tag>{c.stateLabel}</Tag></span>}
            description={<span>{c.project?.name} · {c.publicArea ?? ""} {c.description}</span>} />
        </List.Item>
      )} />
      {hidden > 0 && <div className="fc-beside"><L zh={`另有 ${hidden} 件无权查看`} en={`${hidden} more not visible to you`} /></div>}
    </>
  );
}
