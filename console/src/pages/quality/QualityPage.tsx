// 品质 Quality: 研判 case reviews and shared lessons, 通报 bulletins and circulars, 品质检查
// inspections and checklists. The tab is in the URL (?tab=); what is offered follows the viewer's
// permissions (review:manage, bulletin:publish, inspection:manage) and the API stays the authority.
import { Tabs } from "antd";
import { useSearchParams } from "react-router-dom";
import { L } from "../../i18n";
import { BulletinsTab } from "./BulletinsTab";
import { InspectionsTab } from "./InspectionsTab";
import { ReviewsTab } from "./ReviewsTab";
import "./quality.css";

const TABS = ["reviews", "bulletins", "inspections"] as const;
type Tab = (typeof TABS)[number];

export default function QualityPage() {
  const [params, setParams] = useSearchParams();
  const asked = params.get("tab") as Tab | null;
  const tab: Tab = asked && TABS.includes(asked) ? asked : "reviews";
  return (
    <Tabs activeKey={tab} onChange={(k) => setParams(k === "reviews" ? {} : { tab: k }, { replace: true })} destroyOnHidden items={[
      { key: "reviews", label: <L zh="研判" en="Reviews" />, children: <ReviewsTab /> },
      { key: "bulletins", label: <L zh="通报" en="Bulletins" />, children: <BulletinsTab /> },
      { key: "inspections", label: <L zh="品质检查" en="Inspections" />, children: <InspectionsTab /> },
    ]} />
  );
}
