// 下一步 The transitions of a case and what each sends. Which are offered is the API's answer,
// Case.availableActions (state, the viewer's permission on the case's project, who handles it);
// the API still decides each submission.
import type { FormInstance } from "antd";
import type { ComponentType, ReactNode } from "react";
import { check, request } from "../../api/client";
import type { CaseAction, CaseDetailFragment, Satisfaction } from "../../gql/graphql";
import { CancelFields, CommitFields, DeclineReasonField, MissPromiseFields, NoteField, ReasonField, RepeatFields, ResultField } from "./fields";
import { DispatchFields } from "./DispatchFields";
import { ReferFields } from "./ReferFields";
import { ApproveDeclineFields, DeclineLetter } from "./ReplyFields";
import { ReturnVisitFields } from "./ReturnVisitFields";
import * as M from "./mutations";
import { CaseAfterDoc } from "./queries";

export type FormValues = Record<string, unknown>;
type Case = CaseDetailFragment;

export interface ActionSpec {
  id: string;
  action: CaseAction;
  zh: string;
  en: string;
  hotkey?: string;
  hint?: ReactNode;
  Fields?: ComponentType<{ c: Case; form: FormInstance<FormValues> }>;
  initial?: (c: Case) => FormValues;
  submit: (c: Case, v: FormValues, key: string) => Promise<Case>;
  /** Shown in the drawer once done, instead of closing it (e.g. the letter to print). */
  After?: ComponentType<{ c: Case }>;
}

const text = (v: FormValues, name: string) => String(v[name] ?? "").trim();
const iso = (v: FormValues, name: string) => {
  const d = v[name] as { toISOString(): string } | null | undefined;
  return d ? d.toISOString() : null;
};

function done(payload: { case?: Case | null; errors: { code: string; message: string }[] }): Case {
  return check(payload).case!;
}

export const ACTIONS: ActionSpec[] = [
  { id: "commit", action: "COMMIT", zh: "承诺", en: "Commit", hotkey: "c", Fields: CommitFields,
    submit: async (c, v, key) => done((await request(M.CommitDoc, { caseId: c.id, due: iso(v, "due"), key })).commitCase) },
  { id: "dispatch", action: "DISPATCH", zh: "派单", en: "Dispatch", hotkey: "d",
    Fields: DispatchFields, initial: () => ({ who: "onDuty" }),
    submit: async (c, v, key) => {
      const onDuty = v.who === "onDuty";
      return done((await request(M.DispatchDoc, { caseId: c.id, onDuty, assigneeId: onDuty ? null : String(v.who), key })).dispatchCase);
    } },
  { id: "accept", action: "ACCEPT", zh: "接单", en: "Accept", hotkey: "a",
    submit: async (c, _v, key) => done((await request(M.AcceptDoc, { caseId: c.id, key })).acceptCase) },
  { id: "start", action: "START", zh: "到场", en: "On site", hotkey: "s",
    submit: async (c, _v, key) => done((await request(M.StartDoc, { caseId: c.id, key })).startCase) },
  { id: "pause", action: "PAUSE", zh: "等待业主", en: "Pause", hotkey: "p",
    Fields: ReasonField, hint: "暂停计时：等待业主（如约定上门时间、业主自购配件）。",
    submit: async (c, v, key) => done((await request(M.PauseDoc, { caseId: c.id, reason: text(v, "reason"), key })).pauseCase) },
  { id: "resume", action: "RESUME", zh: "恢复计时", en: "Resume", hotkey: "p",
    submit: async (c, _v, key) => done((await request(M.ResumeDoc, { caseId: c.id, key })).resumeCase) },
  { id: "resolve", action: "RESOLVE", zh: "完工", en: "Resolve", hotkey: "r", Fields: ResultField,
    submit: async (c, v, key) => done((await request(M.ResolveDoc, { caseId: c.id, result: text(v, "result"), key })).resolveCase) },
  { id: "missPromise", action: "MISS_PROMISE", zh: "致歉与补救", en: "Miss a promise", hotkey: "m", Fields: MissPromiseFields,
    hint: "承诺无法兑现：致歉、原因、补救措施和新的时限都要写明，计为一次失约。",
    submit: async (c, v, key) => done((await request(M.MissPromiseDoc, {
      caseId: c.id, apology: text(v, "apology"), reason: text(v, "reason"), remedy: text(v, "remedy"), newDue: iso(v, "newDue") ?? "", key,
    })).missPromise) },
  { id: "confirm", action: "CONFIRM", zh: "业主确认", en: "Resident confirms",
    submit: async (c, _v, key) => done((await request(M.ConfirmDoc, { caseId: c.id, key })).confirmCase) },
  { id: "reject", action: "REJECT", zh: "业主不认可", en: "Resident rejects", Fields: ReasonField,
    submit: async (c, v, key) => done((await request(M.RejectDoc, { caseId: c.id, reason: text(v, "reason"), key })).rejectCase) },
  { id: "visit", action: "RETURN_VISIT", zh: "回访", en: "Return visit", hotkey: "v", Fields: ReturnVisitFields, initial: () => ({ score: 5 }),
    hint: "回访须由处理人以外的人进行；不满意将重新办理并升级。",
    submit: async (c, v, key) => done((await request(M.ReturnVisitDoc, {
      caseId: c.id, satisfaction: v.satisfaction as Satisfaction, score: Number(v.score), comment: text(v, "comment"), key,
    })).returnVisit) },
  { id: "linkRepeat", action: "LINK_REPEAT", zh: "关联重复诉求", en: "Link a repeat", hotkey: "l",
    Fields: RepeatFields,
    submit: async (c, v, key) => done((await request(M.LinkRepeatDoc, { caseId: c.id, earlierCaseId: String(v.earlier), key })).linkRepeatCase) },
  { id: "cancel", action: "CANCEL", zh: "撤销", en: "Cancel", hotkey: "x",
    Fields: CancelFields, initial: () => ({ byResident: true }),
    submit: async (c, v, key) => done((await request(M.CancelDoc, { caseId: c.id, reason: text(v, "reason"), byResident: !!v.byResident, key })).cancelCase) },
  { id: "undispatchable", action: "REPORT_UNDISPATCHABLE", zh: "无法派单", en: "Nobody to send", Fields: ReasonField,
    hint: "无人可派不是拒绝：工单保持未办结，并按升级规则上报。",
    submit: async (c, v, key) => done((await request(M.UndispatchableDoc, { caseId: c.id, reason: text(v, "reason"), key })).reportUndispatchable) },
  { id: "refer", action: "REFER", zh: "转办", en: "Refer", Fields: ReferFields,
    hint: "转交外部单位办理：工单等待其反馈，计时暂停；对方有自己的反馈期限。",
    submit: async (c, v, key) => {
      check((await request(M.ReferDoc, {
        caseId: c.id, bodyId: String(v.bodyId), reason: text(v, "reason"), requestedAction: text(v, "requestedAction"), key,
      })).referCase);
      return (await request(CaseAfterDoc, { id: c.id })).case ?? c;
    } },
  { id: "requestDecline", action: "REQUEST_DECLINE", zh: "申请婉拒", en: "Request a decline", Fields: DeclineReasonField,
    hint: "一线不能拒绝业主：写明原因，由客服主管批准（附书面答复）或驳回。",
    submit: async (c, v, key) => done((await request(M.RequestDeclineDoc, { caseId: c.id, reason: text(v, "reason"), key })).requestDecline) },
  { id: "approveDecline", action: "APPROVE_DECLINE", zh: "批准婉拒", en: "Approve the decline", Fields: ApproveDeclineFields,
    initial: () => ({ alternatives: [""] }), After: DeclineLetter,
    hint: "婉拒须有书面答复：理由、依据，并至少给业主一条替代方案。",
    submit: async (c, v, key) => done((await request(M.ApproveDeclineDoc, {
      caseId: c.id, key,
      reply: { reason: text(v, "reason"), basis: text(v, "basis"),
               alternatives: ((v.alternatives as (string | undefined)[] | undefined) ?? []).map((a) => (a ?? "").trim()).filter(Boolean) },
    })).approveDecline) },
  { id: "denyDecline", action: "DENY_DECLINE", zh: "驳回婉拒", en: "Deny the decline", Fields: NoteField,
    hint: "驳回后工单回到申请前的状态，继续办理。",
    submit: async (c, v, key) => done((await request(M.DenyDeclineDoc, { caseId: c.id, note: text(v, "note"), key })).denyDecline) },
];

/** The actions the API offers this viewer on this case now, in the order above. */
export function offered(c: Case): ActionSpec[] {
  return ACTIONS.filter((a) => c.availableActions.includes(a.action));
}
