// 下一步 The transitions of a case: when each is offered (state, the viewer's permission on the
// case's project, who handles it) and what it sends. Offering is a courtesy; the API decides.
import type { FormInstance } from "antd";
import type { ComponentType, ReactNode } from "react";
import { check, request } from "../../api/client";
import { can, type Viewer } from "../../auth";
import type { CaseDetailFragment, CaseState, Permission, Satisfaction } from "../../gql/graphql";
import { CancelFields, CommitFields, MissPromiseFields, ReasonField, RepeatFields, ResultField } from "./fields";
import { DispatchFields } from "./DispatchFields";
import { ReturnVisitFields } from "./ReturnVisitFields";
import * as M from "./mutations";

export type FormValues = Record<string, unknown>;
type Case = CaseDetailFragment;

export interface ActionSpec {
  id: string;
  zh: string;
  en: string;
  hotkey?: string;
  permission: Permission;
  states: CaseState[];
  when?: (c: Case, me: string | undefined) => boolean;
  hint?: ReactNode;
  Fields?: ComponentType<{ c: Case; form: FormInstance<FormValues> }>;
  initial?: (c: Case) => FormValues;
  submit: (c: Case, v: FormValues, key: string) => Promise<Case>;
}

const text = (v: FormValues, name: string) => String(v[name] ?? "").trim();
const iso = (v: FormValues, name: string) => {
  const d = v[name] as { toISOString(): string } | null | undefined;
  return d ? d.toISOString() : null;
};

function done(payload: { case?: Case | null; errors: { code: string; message: string }[] }): Case {
  return check(payload).case!;
}

const WORKING: CaseState[] = ["DISPATCHED", "ACCEPTED", "IN_PROGRESS", "REOPENED"];
const mine = (c: Case, me: string | undefined) => !!me && c.assignee?.id === me;

export const ACTIONS: ActionSpec[] = [
  { id: "commit", zh: "承诺", en: "Commit", hotkey: "c", permission: "CASE_COMMIT", states: ["RECEIVED"], Fields: CommitFields,
    submit: async (c, v, key) => done((await request(M.CommitDoc, { caseId: c.id, due: iso(v, "due"), key })).commitCase) },
  { id: "dispatch", zh: "派单", en: "Dispatch", hotkey: "d", permission: "CASE_DISPATCH", states: ["COMMITTED", "REOPENED", "DISPATCHED", "ACCEPTED"],
    Fields: DispatchFields, initial: () => ({ who: "onDuty" }),
    submit: async (c, v, key) => {
      const onDuty = v.who === "onDuty";
      return done((await request(M.DispatchDoc, { caseId: c.id, onDuty, assigneeId: onDuty ? null : String(v.who), key })).dispatchCase);
    } },
  { id: "accept", zh: "接单", en: "Accept", hotkey: "a", permission: "CASE_WORK", states: ["DISPATCHED"],
    when: (c, me) => !c.assignee || mine(c, me),
    submit: async (c, _v, key) => done((await request(M.AcceptDoc, { caseId: c.id, key })).acceptCase) },
  { id: "start", zh: "到场", en: "On site", hotkey: "s", permission: "CASE_WORK", states: ["ACCEPTED"], when: mine,
    submit: async (c, _v, key) => done((await request(M.StartDoc, { caseId: c.id, key })).startCase) },
  { id: "pause", zh: "等待业主", en: "Pause", hotkey: "p", permission: "CASE_WORK", states: WORKING, when: (c) => !c.waitingOnResident,
    Fields: ReasonField, hint: "暂停计时：等待业主（如约定上门时间、业主自购配件）。",
    submit: async (c, v, key) => done((await request(M.PauseDoc, { caseId: c.id, reason: text(v, "reason"), key })).pauseCase) },
  { id: "resume", zh: "恢复计时", en: "Resume", hotkey: "p", permission: "CASE_WORK", states: WORKING, when: (c) => c.waitingOnResident,
    submit: async (c, _v, key) => done((await request(M.ResumeDoc, { caseId: c.id, key })).resumeCase) },
  { id: "resolve", zh: "完工", en: "Resolve", hotkey: "r", permission: "CASE_WORK", states: ["ACCEPTED", "IN_PROGRESS"],
    when: (c, me) => mine(c, me) && !c.waitingOnResident, Fields: ResultField,
    submit: async (c, v, key) => done((await request(M.ResolveDoc, { caseId: c.id, result: text(v, "result"), key })).resolveCase) },
  { id: "missPromise", zh: "致歉与补救", en: "Miss a promise", hotkey: "m", permission: "CASE_DISPATCH",
    states: ["COMMITTED", "DISPATCHED", "ACCEPTED", "IN_PROGRESS", "REOPENED"], when: (c) => !!c.commitmentDue, Fields: MissPromiseFields,
    hint: "承诺无法兑现：致歉、原因、补救措施和新的时限都要写明，计为一次失约。",
    submit: async (c, v, key) => done((await request(M.MissPromiseDoc, {
      caseId: c.id, apology: text(v, "apology"), reason: text(v, "reason"), remedy: text(v, "remedy"), newDue: iso(v, "newDue") ?? "", key,
    })).missPromise) },
  { id: "confirm", zh: "业主确认", en: "Resident confirms", permission: "CASE_FOLLOW_UP", states: ["RESOLVED"],
    submit: async (c, _v, key) => done((await request(M.ConfirmDoc, { caseId: c.id, key })).confirmCase) },
  { id: "reject", zh: "业主不认可", en: "Resident rejects", permission: "CASE_FOLLOW_UP", states: ["RESOLVED"], Fields: ReasonField,
    submit: async (c, v, key) => done((await request(M.RejectDoc, { caseId: c.id, reason: text(v, "reason"), key })).rejectCase) },
  { id: "visit", zh: "回访", en: "Return visit", hotkey: "v", permission: "CASE_FOLLOW_UP", states: ["CONFIRMED"],
    when: (c, me) => !mine(c, me), Fields: ReturnVisitFields, initial: () => ({ score: 5 }),
    hint: "回访须由处理人以外的人进行；不满意将重新办理并升级。",
    submit: async (c, v, key) => done((await request(M.ReturnVisitDoc, {
      caseId: c.id, satisfaction: v.satisfaction as Satisfaction, score: Number(v.score), comment: text(v, "comment"), key,
    })).returnVisit) },
  { id: "linkRepeat", zh: "关联重复诉求", en: "Link a repeat", hotkey: "l", permission: "CASE_COMMIT", states: ["RECEIVED", "COMMITTED"],
    Fields: RepeatFields,
    submit: async (c, v, key) => done((await request(M.LinkRepeatDoc, { caseId: c.id, earlierCaseId: String(v.earlier), key })).linkRepeatCase) },
  { id: "cancel", zh: "撤销", en: "Cancel", hotkey: "x", permission: "CASE_DISPATCH", states: ["RECEIVED", "COMMITTED", "DISPATCHED", "ACCEPTED", "REOPENED"],
    Fields: CancelFields, initial: () => ({ byResident: true }),
    submit: async (c, v, key) => done((await request(M.CancelDoc, { caseId: c.id, reason: text(v, "reason"), byResident: !!v.byResident, key })).cancelCase) },
];

/** The actions the viewer is offered on this case now. */
export function offered(c: Case, viewer: Viewer | null): ActionSpec[] {
  const me = viewer?.user?.id;
  return ACTIONS.filter((a) => a.states.includes(c.state) && can(viewer, a.permission, c.project?.id) && (!a.when || a.when(c, me)));
}
