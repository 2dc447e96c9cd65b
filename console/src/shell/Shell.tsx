// The app shell: role-aware menu in collapsible sections, live-connection indicator, language, user,
// sign-out; F2 opens 登记.
import { Badge, Button, ConfigProvider, Layout, Menu, Space, Tooltip } from "antd";
import { useEffect, useState, type ReactNode } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { connectLive, useLiveState, type LiveState } from "../api/live";
import { useAuth } from "../auth";
import { L, useLang } from "../i18n";
import { menuFor, menuSections, type MenuGroup } from "../menus";
import { InboxBell } from "./InboxBell";
import { ShortcutHelp } from "./ShortcutHelp";

const LIVE: Record<LiveState, { status: "success" | "warning" | "default"; zh: string; en: string }> = {
  live: { status: "success", zh: "实时", en: "Live" },
  reconnecting: { status: "warning", zh: "重连中", en: "Reconnecting" },
  offline: { status: "default", zh: "离线", en: "Offline" },
};

export function LiveIndicator() {
  const state = useLiveState();
  const s = LIVE[state];
  return (
    <span data-testid="live-state" data-state={state} aria-live="polite">
      <Badge status={s.status} text={<span style={{ color: "#fff" }}><L zh={s.zh} en={s.en} /></span>} />
    </span>
  );
}

// A record's page lights the menu entry it is reached from.
const menuKey = (path: string) => (path.startsWith("/cases/") ? "/queue" : path.startsWith("/residents/") ? "/archive" : path);

// The sections a user closed, remembered in this browser; every section starts open.
const CLOSED_KEY = "fc.menu.closed";
const SECTION = "section:";

function readClosed(): MenuGroup[] {
  try {
    const found: unknown = JSON.parse(window.localStorage.getItem(CLOSED_KEY) ?? "[]");
    return Array.isArray(found) ? found.filter((k): k is MenuGroup => typeof k === "string") : [];
  } catch {
    return [];
  }
}

// One object for every render: a new theme object each render makes Ant Design work out the menu's
// tokens again.
const MENU_THEME = { components: { Menu: { itemHeight: 34, itemMarginBlock: 2 } } };

function SideMenu() {
  const { viewer } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const sections = menuSections(viewer);
  const [closed, setClosed] = useState<MenuGroup[]>(readClosed);
  // Only a click on a section's title opens or closes it: the menu's own onOpenChange also fires
  // when its sections change (signing out empties them), which must not close them for the next user.
  const toggle = (key: MenuGroup) => {
    const next = closed.includes(key) ? closed.filter((k) => k !== key) : [...closed, key];
    setClosed(next);
    try {
      window.localStorage.setItem(CLOSED_KEY, JSON.stringify(next));
    } catch {
      // Storage refused (private mode, full): the sections stay as chosen until the page reloads.
    }
  };
  return (
    <ConfigProvider theme={MENU_THEME}>
      <Menu theme="dark" mode="inline" inlineIndent={12} className="fc-menu" aria-label="主菜单 Main menu"
            selectedKeys={[menuKey(location.pathname)]}
            openKeys={sections.filter((g) => !closed.includes(g.key)).map((g) => SECTION + g.key)}
            onClick={(e) => navigate(e.key)}
            items={sections.map((g) => ({
              key: SECTION + g.key,
              onTitleClick: () => toggle(g.key),
              label: <span className="fc-menu-section" data-testid={`menu-section-${g.key}`}><L zh={g.zh} en={g.en} /></span>,
              children: g.entries.map((m) => ({ key: m.path, label: <L zh={m.zh} en={m.en} /> })),
            }))} />
    </ConfigProvider>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { viewer, signOut } = useAuth();
  const { lang, setLang } = useLang();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const canIntake = menuFor(viewer).some((m) => m.path === "/intake");

  useEffect(connectLive, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "F2" && canIntake && !e.isComposing) {
        e.preventDefault();
        navigate("/intake");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canIntake, navigate]);

  const wall = params.get("wall") === "1";
  return (
    <Layout style={{ minHeight: "100vh" }} className={wall ? "fc-wall" : undefined}>
      <Layout.Header className="fc-header" style={{ height: 48, lineHeight: "48px" }}>
        <span className="fc-brand">Firstcall <L zh="控制台" en="console" /></span>
        <LiveIndicator />
        <InboxBell />
        <ShortcutHelp />
        <Tooltip title={lang === "zh" ? "Switch to English" : "切换到中文"}>
          <Button size="small" ghost onClick={() => setLang(lang === "zh" ? "en" : "zh")}>{lang === "zh" ? "EN" : "中"}</Button>
        </Tooltip>
        <Space>
          <span data-testid="viewer-name">{viewer?.user?.displayName ?? viewer?.user?.username}</span>
          <Button size="small" ghost onClick={() => void signOut().then(() => navigate("/login"))}>
            <L zh="退出" en="Sign out" />
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={180} theme="dark" breakpoint="lg" collapsedWidth={0}>
          <div className="fc-side"><SideMenu /></div>
        </Layout.Sider>
        <Layout.Content className="fc-page">{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
