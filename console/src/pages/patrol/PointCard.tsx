// One point of a run on the phone: what to look at, 正常 / 有问题 / 不适用 with a note, photo links,
// 与业主沟通 (a flat and what was said), the code scanned or typed, 打卡; an issue becomes a case.
import { Button, Card, Input, Radio, Select, Space, Switch, Tag, Typography } from "antd";
import { useRef, useState } from "react";
import { Link } from "react-router-dom";
import { check, request } from "../../api/client";
import type { PatrolResult, PatrolVisitRowFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { CodeEntry } from "./CodeEntry";
import { CaseFromVisit } from "./CaseFromVisit";
import { PatrolFlatsDoc, RecordPatrolVisitDoc } from "./queries";

export interface Point { id: string; position: number; name: string; place: string; checks: string[] }

const RESULTS: { value: PatrolResult; zh: string; en: string }[] = [
  { value: "OK", zh: "正常", en: "OK" },
  { value: "ISSUE", zh: "有问题", en: "Issue" },
  { value: "NA", zh: "不适用", en: "N/A" },
];

export function PointCard({ runId, projectId, point, visit, open, onOpen, closed, onRecorded, nameOf }: {
  runId: string; projectId: string; point: Point; visit: PatrolVisitRowFragment | null; open: boolean; onOpen: () => void;
  closed: boolean; onRecorded: () => void; nameOf: (pointId: string) => string;
}) {
  const t = useT();
  const title = `${point.position}. ${point.name}${point.place ? ` · ${point.place}` : ""}`;
  return (
    <Card className={`fc-point${visit ? " fc-point-done" : ""}`} size="small" data-testid="patrol-point"
          title={<a onClick={onOpen} role="button" aria-expanded={open} style={{ color: "inherit", display: "block", padding: "6px 0" }}>{title}</a>}
          extra={visit ? <Tag data-testid="patrol-point-result">{visit.resultLabel}{visit.scanned ? "" : t(" · 未扫码", " · not scanned")}</Tag>
                       : <Tag><L zh="未打卡" en="Not yet" /></Tag>}>
      {point.checks.length > 0 && <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{t("检查：", "Check: ")}{point.checks.join("、")}</Typography.Paragraph>}
      {visit && !open && <VisitSummary visit={visit} />}
      {visit?.result === "ISSUE" && (
        visit.caseId
          ? <Link to={`/cases/${encodeURIComponent(visit.caseId)}`} data-testid="patrol-case-link"><L zh="已转工单，查看" en="Made a case: open it" /></Link>
          : !open && <CaseFromVisit visitId={visit.id} onMade={onRecorded} />
      )}
      {open && !closed && <VisitForm runId={runId} projectId={projectId} point={point} visit={visit} onRecorded={onRecorded} nameOf={nameOf} />}
    </Card>
  );
}

function VisitSummary({ visit }: { visit: PatrolVisitRowFragment }) {
  return (
    <div style={{ marginBottom: 8 }}>
      {visit.note && <div>{visit.note}</div>}
      {visit.talkNote && <div><Typography.Text type="secondary"><L zh="与业主沟通：" en="Talked: " /></Typography.Text>{visit.talkNote}</div>}
      {visit.photos.map((p) => <div key={p}><a href={p} target="_blank" rel="noreferrer">{p}</a></div>)}
    </div>
  );
}

function VisitForm({ runId, projectId, point, visit, onRecorded, nameOf }: {
  runId: string; projectId: string; point: Point; visit: PatrolVisitRowFragment | null; onRecorded: () => void; nameOf: (pointId: string) => string;
}) {
  const t = useT();
  const [result, setResult] = useState<PatrolResult | null>(visit?.result ?? null);
  const [note, setNote] = useState(visit?.note ?? "");
  const [photos, setPhotos] = useState(visit?.photos.join("\n") ?? "");
  const [talking, setTalking] = useState(!!visit?.talkNote);
  const [flat, setFlat] = useState<string | null>(visit?.talkedUnitId ?? null);
  const [talkNote, setTalkNote] = useState(visit?.talkNote ?? "");
  const [code, setCode] = useState("");
  const [elsewhere, setElsewhere] = useState<string | null>(null);
  const record = useAction("recordPatrolVisit", async (key) => {
    const links = photos.split(/\s+/).filter(Boolean);
    const reply = check((await request(RecordPatrolVisitDoc, {
      key,
      input: {
        runId, result: result ?? "OK", note: note.trim(), photos: links,
        ...(code ? { pointToken: code } : { pointId: point.id }),
        talk: talking ? { unitId: flat, note: talkNote.trim() } : null,
      },
    })).recordPatrolVisit);
    // A code names its own point: if it was another one's, say where the record went.
    setElsewhere(reply.visit && reply.visit.pointId !== point.id ? nameOf(reply.visit.pointId) : null);
    setCode("");
    onRecorded();
  });
  const issueNeedsNote = result === "ISSUE" && !note.trim();
  const talkNeedsNote = talking && !talkNote.trim();
  // What still stands between the walker and 打卡, said under the button (a code typed first is the common case).
  const missing = !result ? t("先选择结果：正常、有问题或不适用。", "Choose a result first: OK, Issue or N/A.")
    : issueNeedsNote ? t("请填写问题说明。", "Say what is wrong.")
    : talkNeedsNote ? t("请填写沟通内容。", "Say what was said.")
    : null;
  return (
    <div>
      <Radio.Group className="fc-results" optionType="button" buttonStyle="solid" value={result} onChange={(e) => setResult(e.target.value as PatrolResult)}
                   aria-label={t("结果", "Result")} data-testid="patrol-result"
                   options={RESULTS.map((r) => ({ value: r.value, label: t(r.zh, r.en) }))} />
      <label className="fc-field" htmlFor={`note-${point.id}`}>{result === "ISSUE" ? <L zh="问题说明（必填）" en="What is wrong (required)" /> : <L zh="备注" en="Note" />}</label>
      <Input.TextArea id={`note-${point.id}`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} autoSize={{ minRows: 2 }}
                      data-testid="patrol-note" />
      <label className="fc-field" htmlFor={`photos-${point.id}`}><L zh="照片链接（每行一个 https://，最多9个）" en="Photo links, one per line" /></label>
      <Input.TextArea id={`photos-${point.id}`} value={photos} onChange={(e) => setPhotos(e.target.value)} autoSize={{ minRows: 1 }}
                      inputMode="url" data-testid="patrol-photos" />
      <label className="fc-field">
        <Space><Switch checked={talking} onChange={setTalking} data-testid="patrol-talk" /><L zh="与业主沟通" en="Talked with an owner" /></Space>
      </label>
      {talking && (
        <Space direction="vertical" style={{ width: "100%" }}>
          <FlatSelect projectId={projectId} value={flat} onChange={setFlat} />
          <Input.TextArea value={talkNote} onChange={(e) => setTalkNote(e.target.value)} maxLength={1000} autoSize={{ minRows: 2 }}
                          placeholder={t("沟通内容", "What was said")} aria-label={t("沟通内容", "What was said")} data-testid="patrol-talk-note" />
        </Space>
      )}
      <label className="fc-field"><L zh="扫码打卡" en="The point's code" /></label>
      <CodeEntry value={code} onChange={setCode} testId="patrol" />
      {!code && <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t("不扫码也可打卡，记为“未扫码”。", "Without the code the visit is recorded as not scanned.")}</Typography.Text>}
      <FormError error={record.error} />
      {elsewhere && <Typography.Paragraph type="warning" role="status">{t(`该码属于「${elsewhere}」，已记在该点。`, `That code is ${elsewhere}'s: recorded there.`)}</Typography.Paragraph>}
      {/* fc-record: no colour transition, so the button is solid blue the moment it is enabled (antd's 0.2 s fade
          from the disabled grey read as a pale, still-disabled button while the code was being typed). */}
      <Button type="primary" block size="large" className="fc-record" style={{ marginTop: 12 }} disabled={!!missing || record.busy}
              loading={record.busy} onClick={() => void record.run()} data-testid="patrol-record">
        {visit ? t("更新打卡", "Record again") : t("打卡", "Record")}
      </Button>
      {missing && <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="patrol-missing">{missing}</Typography.Text>}
    </div>
  );
}

function FlatSelect({ projectId, value, onChange }: { projectId: string; value: string | null; onChange: (id: string | null) => void }) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const latest = useRef(0);
  const search = async (typed: string) => {
    const ticket = ++latest.current;
    if (!/\d/.test(typed.normalize("NFKC"))) return;
    const found = await request(PatrolFlatsDoc, { flat: typed, projectId }).catch(() => null);
    if (ticket === latest.current && found) setOptions(found.callerLookup.units.map((u) => ({ value: u.id, label: u.label })));
  };
  return (
    <Select showSearch={{ filterOption: false, onSearch: (s) => void search(s) }} allowClear value={value ?? undefined} style={{ width: "100%" }}
            onChange={(v: string | undefined) => onChange(v ?? null)} options={options} data-testid="patrol-flat" aria-label={t("房屋", "Flat")}
            placeholder={t("房号，如 3-2-1502", "Flat, e.g. 3-2-1502")} notFoundContent={t("输入房号查找", "Type a flat number")} />
  );
}
