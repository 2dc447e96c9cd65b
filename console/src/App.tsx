import { App as AntApp, ConfigProvider, Spin, theme } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { Suspense, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { AuthProvider, useAuth } from "./auth";
import { LangProvider, useLang } from "./i18n";
import { homeFor } from "./menus";
import { PhoneShell } from "./shell/PhoneShell";
import { Shell } from "./shell/Shell";
import { lazyLoaded } from "./ui/lazyLoaded";

// One chunk per page: the board's charts never load on the intake desk.
const PAGES = {
  login: lazyLoaded(() => import("./pages/login/LoginPage")),
  hq: lazyLoaded(() => import("./pages/hq/HqBoard")),
  intake: lazyLoaded(() => import("./pages/intake/IntakePage")),
  queue: lazyLoaded(() => import("./pages/queue/QueuePage")),
  alerts: lazyLoaded(() => import("./pages/alerts/AlertsPage")),
  cases: lazyLoaded(() => import("./pages/case/CasePage")),
  settings: lazyLoaded(() => import("./pages/settings/SettingsPage")),
  quality: lazyLoaded(() => import("./pages/quality/QualityPage")),
  roster: lazyLoaded(() => import("./pages/roster/RosterPage")),
  admin: lazyLoaded(() => import("./pages/admin/AdminPage")),
  inbox: lazyLoaded(() => import("./pages/inbox/InboxPage")),
  referrals: lazyLoaded(() => import("./pages/referrals/ReferralsPage")),
  scorecards: lazyLoaded(() => import("./pages/scorecards/ScorecardsPage")),
  archive: lazyLoaded(() => import("./pages/archive/ArchivePage")),
  residents: lazyLoaded(() => import("./pages/resident/ResidentPage")),
  archiveImport: lazyLoaded(() => import("./pages/archiveImport/ArchiveImportPage")),
  knowledge: lazyLoaded(() => import("./pages/knowledge/KnowledgePage")),
  notices: lazyLoaded(() => import("./pages/notices/NoticesPage")),
  fees: lazyLoaded(() => import("./pages/fees/FeesPage")),
  surveys: lazyLoaded(() => import("./pages/surveys/SurveysPage")),
  handover: lazyLoaded(() => import("./pages/handover/HandoverPage")),
  improvements: lazyLoaded(() => import("./pages/improvements/ImprovementsPage")),
  patrols: lazyLoaded(() => import("./pages/patrol/PatrolsPage")),
  m: lazyLoaded(() => import("./pages/patrol/PhonePatrolPage")),
  hazards: lazyLoaded(() => import("./pages/hazards/HazardsPage")),
  people: lazyLoaded(() => import("./pages/people/PeoplePage")),
  calls: lazyLoaded(() => import("./pages/calls/CallsPage")),
};
// The opened page's chunk starts loading now, beside the session refresh and the viewer query,
// instead of after them (a wall screen's reload shows its figures one round trip sooner).
const opened = window.location.pathname.split("/")[1];
// Own keys only: "/constructor" names an Object built-in, not a page.
if (Object.hasOwn(PAGES, opened)) PAGES[opened as keyof typeof PAGES].preload().catch(() => undefined); // the route shows any failure

const LoginPage = PAGES.login.Component;
const HqBoard = PAGES.hq.Component;
const IntakePage = PAGES.intake.Component;
const QueuePage = PAGES.queue.Component;
const AlertsPage = PAGES.alerts.Component;
const CasePage = PAGES.cases.Component;
const SettingsPage = PAGES.settings.Component;
const QualityPage = PAGES.quality.Component;
const RosterPage = PAGES.roster.Component;
const AdminPage = PAGES.admin.Component;
const InboxPage = PAGES.inbox.Component;
const ReferralsPage = PAGES.referrals.Component;
const ScorecardsPage = PAGES.scorecards.Component;
const ArchivePage = PAGES.archive.Component;
const ResidentPage = PAGES.residents.Component;
const ArchiveImportPage = PAGES.archiveImport.Component;
const KnowledgePage = PAGES.knowledge.Component;
const NoticesPage = PAGES.notices.Component;
const FeesPage = PAGES.fees.Component;
const SurveysPage = PAGES.surveys.Component;
const HandoverPage = PAGES.handover.Component;
const ImprovementsPage = PAGES.improvements.Component;
const PatrolsPage = PAGES.patrols.Component;
const PhonePatrolPage = PAGES.m.Component;
const HazardsPage = PAGES.hazards.Component;
const PeoplePage = PAGES.people.Component;
const CallsPage = PAGES.calls.Component;

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

/** A phone page (/m/…): signed in like the rest, in the one-column shell. */
function PhoneGuarded({ children }: { children: ReactNode }) {
  const { viewer, checking } = useAuth();
  const location = useLocation();
  if (checking) return <Loading />;
  if (!viewer) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <PhoneShell>{children}</PhoneShell>;
}

function Home() {
  const { viewer } = useAuth();
  return <Navigate to={homeFor(viewer)} replace />;
}

// Whoever asks the system for less motion gets none from Ant Design: dialogs, dropdowns, menus and
// drawers appear where they end up at once. (The browser tests ask for it: a dialog's button or a
// list's option clicked while its opening motion waited to start was clicked where it had not yet
// arrived, and the click was lost.)
const STILL = typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches === true;
const THEME = { algorithm: theme.defaultAlgorithm, token: { borderRadius: 4, motion: !STILL } };

function Themed({ children }: { children: ReactNode }) {
  const { lang } = useLang();
  dayjs.locale(lang === "zh" ? "zh-cn" : "en");
  return (
    <ConfigProvider locale={lang === "zh" ? zhCN : enUS} componentSize="small"
                    theme={THEME}>
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
                <Route path="/archive" element={<Guarded><ArchivePage /></Guarded>} />
                <Route path="/residents/:id" element={<Guarded><ResidentPage /></Guarded>} />
                <Route path="/archive/import" element={<Guarded><ArchiveImportPage /></Guarded>} />
                <Route path="/knowledge" element={<Guarded><KnowledgePage /></Guarded>} />
                <Route path="/handover" element={<Guarded><HandoverPage /></Guarded>} />
                <Route path="/notices" element={<Guarded><NoticesPage /></Guarded>} />
                <Route path="/fees" element={<Guarded><FeesPage /></Guarded>} />
                <Route path="/surveys" element={<Guarded><SurveysPage /></Guarded>} />
                <Route path="/improvements" element={<Guarded><ImprovementsPage /></Guarded>} />
                <Route path="/patrols" element={<Guarded><PatrolsPage /></Guarded>} />
                <Route path="/hazards" element={<Guarded><HazardsPage /></Guarded>} />
                <Route path="/people" element={<Guarded><PeoplePage /></Guarded>} />
                <Route path="/calls" element={<Guarded><CallsPage /></Guarded>} />
                <Route path="/m/patrol" element={<PhoneGuarded><PhonePatrolPage /></PhoneGuarded>} />
                <Route path="*" element={<Guarded><Home /></Guarded>} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AuthProvider>
      </Themed>
    </LangProvider>
  );
}
