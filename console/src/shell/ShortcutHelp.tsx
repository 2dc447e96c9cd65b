// ? anywhere: every page's keys in one list, and the switch that turns single-key shortcuts off
// for whoever types into the page by accident (kept in localStorage; ui/keys.ts honours it).
import { Button, Modal, Switch, Table, Tooltip } from "antd";
import { useState } from "react";
import { L, useT } from "../i18n";
import { setSingleKeys, singleKeysOn, useKeys } from "../ui/keys";

interface Row { keys: string; zh: string; en: string }

const PAGES: { zh: string; en: string; rows: Row[] }[] = [
  { zh: "全局", en: "Anywhere", rows: [
    { keys: "F2", zh: "登记新工单", en: "Intake a new case" },
    { keys: "?", zh: "快捷键帮助（关闭单键快捷键后仍可用）", en: "This help (works with single keys off)" },
  ] },
  { zh: "工作台", en: "Queue", rows: [
    { keys: "J / K", zh: "下一条 / 上一条", en: "Next / previous case" },
    { keys: "Enter", zh: "打开选中的工单", en: "Open the selected case" },
    { keys: "/", zh: "搜索", en: "Search" },
    { keys: "C / D", zh: "打开工单并承诺 / 派单", en: "Open the case to commit / dispatch" },
    { keys: "G 1…9", zh: "待承诺 待派单 待接单 处理中 待确认 待回访 超时 婉拒待批 转办中", en: "The nine state tabs in order" },
    { keys: "G 0 / G M", zh: "全部未办结 / 我的待办", en: "All open / My queue" },
  ] },
  { zh: "工单详情", en: "Case", rows: [
    { keys: "C D A S", zh: "承诺 派单 接单 到场", en: "Commit, dispatch, accept, on site" },
    { keys: "P R M", zh: "等待业主/恢复计时 完工 致歉与补救", en: "Pause/resume, resolve, miss a promise" },
    { keys: "V L X", zh: "回访 关联重复诉求 撤销", en: "Return visit, link a repeat, cancel" },
    { keys: "1…9 / 0", zh: "派单抽屉里选人 / 值班人员", en: "In the dispatch drawer: pick / on duty" },
  ] },
  { zh: "预警中心", en: "Alerts", rows: [
    { keys: "J / K", zh: "下一条 / 上一条", en: "Next / previous alert" },
    { keys: "A / R", zh: "签收 / 填写处置说明", en: "Acknowledge / write the resolution" },
  ] },
  { zh: "登记", en: "Intake", rows: [
    { keys: "1…7 / 1…3", zh: "在类型 / 紧急度上按数字选择", en: "Digits pick the kind / severity" },
  ] },
  { zh: "表单与抽屉", en: "Forms and drawers", rows: [
    { keys: "Ctrl+Enter", zh: "提交", en: "Submit" },
    { keys: "Esc", zh: "关闭", en: "Close" },
  ] },
];

export function ShortcutHelp() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [on, setOn] = useState(singleKeysOn);
  useKeys({ "?": () => setOpen(true) }, !open);
  // Focus left on the closed modal's switch would keep every shortcut muted (ui/keys.ts).
  const blur = () => (document.activeElement as HTMLElement | null)?.blur();
  const close = () => {
    blur();
    setOpen(false);
  };
  const rows = PAGES.flatMap((p) => p.rows.map((r, i) => ({ ...r, page: i === 0 ? t(p.zh, p.en) : "", id: `${p.en}:${r.keys}` })));
  return (
    <>
      <Tooltip title={t("快捷键 (?)", "Shortcuts (?)")}>
        <Button size="small" ghost onClick={() => setOpen(true)} aria-label={t("快捷键帮助", "Keyboard shortcuts")}>?</Button>
      </Tooltip>
      <Modal open={open} onCancel={close} afterClose={blur} footer={null} width={640} data-testid="shortcut-help"
             title={<L zh="快捷键" en="Keyboard shortcuts" />}>
        <label style={{ display: "flex", alignItems: "center", gap: 8, marginBottom: 12 }}>
          <Switch checked={on} data-testid="single-keys" onChange={(v) => { setSingleKeys(v); setOn(v); }} />
          <L zh="单键快捷键（J、K、C、D…）" en="Single-key shortcuts (J, K, C, D…)" />
        </label>
        <Table<typeof rows[number]> size="small" rowKey="id" pagination={false} dataSource={rows} showHeader={false}
                                    columns={[
                                      { key: "page", dataIndex: "page", width: 90, render: (p: string) => <b>{p}</b> },
                                      { key: "keys", dataIndex: "keys", width: 120, render: (k: string) => <kbd className="fc-kbd">{k}</kbd> },
                                      { key: "what", render: (_, r) => t(r.zh, r.en) },
                                    ]} />
      </Modal>
    </>
  );
}
