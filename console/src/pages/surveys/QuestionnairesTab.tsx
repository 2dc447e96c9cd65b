// 问卷 The company's questionnaires, newest first: each with its questions (kind, required,
// dimension, weight, options with their scores). Company-wide survey:manage holders (HQ) make new
// ones and switch them on or off; a used one (a campaign took it) is read-only — 已使用.
import { Button, Descriptions, List, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { check, request } from "../../api/client";
import { useQuery } from "../../api/useQuery";
import type { SurveyQuestionnaireFullFragment } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { FormError, useAction } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { DIMENSIONS, KINDS, named, when } from "./labels";
import { QuestionnaireForm } from "./QuestionnaireForm";
import { SetQuestionnaireActiveDoc, SurveyQuestionnairesDoc } from "./queries";

type Questionnaire = SurveyQuestionnaireFullFragment;

function Questions({ q }: { q: Questionnaire }) {
  const t = useT();
  return (
    <Table size="small" rowKey="id" dataSource={q.questions} pagination={false} data-testid="survey-q-questions" columns={[
      { title: "#", dataIndex: "position", width: 36 },
      { title: <L zh="题目" en="Question" />, key: "text", render: (_, x) => (
        <div>
          <div>{x.text}{x.required ? "" : <Typography.Text type="secondary">{t("（选答）", " (optional)")}</Typography.Text>}</div>
          {!!x.options.length && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {x.options.map((o) => (x.kind === "SINGLE" ? `${o.label} ${o.score}${t("分", "")}` : o.label)).join(" · ")}
            </Typography.Text>
          )}
        </div>
      ) },
      { title: <L zh="题型" en="Kind" />, key: "k", width: 96, render: (_, x) => named(KINDS, x.kind, t) },
      { title: <L zh="维度" en="Dimension" />, key: "d", width: 90, render: (_, x) => (x.dimension ? named(DIMENSIONS, x.dimension, t) : "—") },
      { title: <L zh="权重" en="Weight" />, key: "w", width: 64, align: "right",
        render: (_, x) => (x.weight ? <span className="fc-num">{x.weight}</span> : <Typography.Text type="secondary">{t("不计分", "—")}</Typography.Text>) },
    ]} />
  );
}

export function QuestionnairesTab({ mayEdit }: { mayEdit: boolean }) {
  const t = useT();
  const q = useQuery(SurveyQuestionnairesDoc, {});
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const toggle = useAction("setSurveyQuestionnaireActive", async (key, id: string, active: boolean) => {
    check((await request(SetQuestionnaireActiveDoc, { id, active, key })).setSurveyQuestionnaireActive);
    await q.refetch();
  });
  const rows = q.data?.surveyQuestionnaires ?? [];
  const shown = rows.find((x) => x.id === open) ?? rows[0] ?? null;
  return (
    <div data-testid="survey-questionnaires">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      <Space style={{ marginBottom: 8 }}>
        {mayEdit && !adding && <Button type="primary" onClick={() => setAdding(true)} data-testid="survey-q-new"><L zh="新建问卷" en="New questionnaire" /></Button>}
        {!mayEdit && <Typography.Text type="secondary"><L zh="问卷由总部统一制定（需要全公司“问卷与调查活动”权限）。" en="Questionnaires are set by HQ (company-wide survey:manage)." /></Typography.Text>}
      </Space>
      {adding && (
        <div style={{ marginBottom: 12 }}>
          <QuestionnaireForm onCancel={() => setAdding(false)} onSaved={(made) => { setAdding(false); setOpen(made.id); void q.refetch(); }} />
        </div>
      )}
      {q.loading && !q.data ? <Loading /> : rows.length === 0 ? (
        <Nothing zh={mayEdit ? "暂无问卷：点“新建问卷”" : "暂无问卷"} en={mayEdit ? "No questionnaire yet: make one" : "No questionnaire yet"} />
      ) : (
        <div style={{ display: "grid", gridTemplateColumns: "minmax(260px, 2fr) minmax(0, 3fr)", gap: 12, alignItems: "start" }}>
          <List size="small" bordered dataSource={rows} data-testid="survey-q-list" renderItem={(x) => (
            <List.Item data-questionnaire={x.title} onClick={() => setOpen(x.id)} style={{ cursor: "pointer", background: x.id === shown?.id ? "#e6f4ff" : undefined }}
                       actions={mayEdit ? [
                         <Button key="a" size="small" loading={toggle.busy} data-testid="survey-q-toggle"
                                 onClick={(e) => { e.stopPropagation(); void toggle.run(x.id, !x.active); }}>
                           {x.active ? t("停用", "Switch off") : t("启用", "Switch on")}</Button>,
                       ] : []}>
              <List.Item.Meta title={<span>{x.title}</span>}
                              description={<span className="fc-num">{t(`${x.questions.length} 题`, `${x.questions.length} questions`)} · {when(x.createdAt)}</span>} />
              <Space size={4}>
                <Tag data-testid="survey-q-state">{x.active ? t("启用", "Active") : t("停用", "Off")}</Tag>
                {x.usedAt && <Tag data-testid="survey-q-used">{t("已使用", "Used")}</Tag>}
              </Space>
            </List.Item>
          )} />
          {shown ? (
            <div data-testid="survey-q-detail">
              <Descriptions size="small" column={1} bordered style={{ marginBottom: 8 }} items={[
                { key: "t", label: t("问卷", "Questionnaire"), children: shown.title },
                { key: "i", label: t("说明", "Introduction"), children: shown.intro || "—" },
                { key: "u", label: t("使用", "Use"), children: shown.usedAt
                  ? t(`${when(shown.usedAt)} 起被调查活动使用，不可修改`, `Used by a campaign since ${when(shown.usedAt)}: read-only`)
                  : t("尚未使用", "Not used yet") },
              ]} />
              <Questions q={shown} />
            </div>
          ) : <Typography.Text type="secondary"><L zh="点左侧问卷查看题目" en="Pick a questionnaire to see its questions" /></Typography.Text>}
        </div>
      )}
      <FormError error={toggle.error} />
    </div>
  );
}
