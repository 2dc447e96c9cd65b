import { App as AntApp, ConfigProvider, Spin, theme } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { lazy, Suspense, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { AuthProvider, useAuth } from "./auth";
import { LangProvider, useLang } from "./i18n";
import { homeFor } from "./menus";
import { Shell } from "./shell/Shell";

// One chunk per page: the board's charts never load on the intake desk.
const LoginPage = lazy(() => import("./pages/login/LoginPage"));
const HqBoard = lazy(() => import("./pages/hq/HqBoard"));
const IntakePage = lazy(() => import("./pages/intake/IntakePage"));
const QueuePage = lazy(() => import("./pages/queue/QueuePage"));
const AlertsPage = lazy(() => import("./pages/alerts/AlertsPage"));
const CasePage = lazy(() => import("./pages/case/CasePage"));
const SettingsPage = lazy(() => import("./pages/settings/SettingsPage"));
const QualityPage = lazy(() => import("./pages/quality/QualityPage"));
const RosterPage = lazy(() => import("./pages/roster/RosterPage"));
const AdminPage = lazy(() => import("./pages/admin/AdminPage"));
const InboxPage = lazy(() => import("./pages/inbox/InboxPage"));
const ReferralsPage = lazy(() => import("./pages/referrals/ReferralsPage"));
const ScorecardsPage = lazy(() => import("./pages/scorecards/ScorecardsPage"));

function Loading() {
  return <div className="fc-center" style={{ height: "100vh" }}><Spin size="large" aria-label="加载中 Loading" /></div>;
}

function Guarded({ children }: { children: ReactNode }) {
  const { viewer, checking } = useAuth();
  const location = useLocation();
  if (checking) return <Loading />;
  if (!viewer) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <Shell>{children}</Shell>;
}

function Home() {
  const { viewer } = useAuth();
  return <Navigate to={homeFor(viewer)} replace />;
}

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  dayjs.locale(lang === "zh" ? "zh-cn" : "en");
  return (
    <ConfigProvider locale={lang === "zh" ? zhCN : enUS} componentSize="small"
                    theme={{ algorithm: theme.defaultAlgorithm, token: { borderRadius: 4 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LangProvider>
      <Themed>
        <AuthProvider>
          <BrowserRouter>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/login" element={<LoginPage />} />
                <Route path="/hq" element={<Guarded><HqBoard /></Guarded>} />
                <Route path="/intake" element={<Guarded><IntakePage /></Guarded>} />
                <Route path="/queue" element={<Guarded><QueuePage /></Guarded>} />
                <Route path="/alerts" element={<Guarded><AlertsPage /></Guarded>} />
                <Route path="/cases/:id" element={<Guarded><CasePage /></Guarded>} />
                <Route path="/settings" element={<Guarded><SettingsPage /></Guarded>} />
                <Route path="/quality" element={<Guarded><QualityPage /></Guarded>} />
                <Route path="/roster" element={<Guarded><RosterPage /></Guarded>} />
                <Route path="/admin" element={<Guarded><AdminPage /></Guarded>} />
                <Route path="/inbox" element={<Guarded><InboxPage /></Guarded>} />
                <Route path="/referrals" element={<Guarded><ReferralsPage /></Guarded>} />
                <Route path="/scorecards" element={<Guarded><ScorecardsPage /></Guarded>} />
                <Route path="*" element={<Guarded><Home /></Guarded>} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AuthProvider>
      </Themed>
    </LangProvider>
  );
}
