// The phone pages' shell (/m/…): one slim bar — the console's menu, name and sign-out — above a
// single column; the desk shell's header and side menu do not fit 390 px.
import { Button, ConfigProvider, Layout } from "antd";
import type { ReactNode } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useAuth } from "../auth";
import { L } from "../i18n";
import { homeFor } from "../menus";

export function PhoneShell({ children }: { children: ReactNode }) {
  const { viewer, signOut } = useAuth();
  const navigate = useNavigate();
  return (
    <ConfigProvider componentSize="large">
      <Layout style={{ minHeight: "100vh" }}>
        <Layout.Header className="fc-header fc-phone-header">
          <Link to={homeFor(viewer)} className="fc-brand" style={{ color: "#fff" }}>Firstcall</Link>
          <span data-testid="viewer-name">{viewer?.user?.displayName ?? viewer?.user?.username}</span>
          <Button size="small" ghost onClick={() => void signOut().then(() => navigate("/login"))}>
            <L zh="退出" en="Sign out" />
          </Button>
        </Layout.Header>
        <Layout.Content className="fc-phone">{children}</Layout.Content>
      </Layout>
    </ConfigProvider>
  );
}
