// 通报 The bulletins of the viewer's projects (drafts only for publishers), a draft form, each one's
// preview, publish/withdraw and print; bulletins of other projects circulated to the viewer's below.
import { App, Button, Card, List, Segmented, Space, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useEffect, useState, type HTMLAttributes } from "react";
import { openPrint } from "../../api/documents";
import { useQuery } from "../../api/useQuery";
import { holdsAnywhere, useAuth } from "../../auth";
import type { BulletinDetailFragment, BulletinState } from "../../gql/graphql";
import { L, useT } from "../../i18n";
import { asApiError } from "../../ui/action";
import { ErrorBanner, Loading, Nothing } from "../../ui/states";
import { BulletinDetail } from "./BulletinDetail";
import { BulletinForm } from "./BulletinForm";
import { short } from "./common";
import { BulletinsDoc, CircularsDoc } from "./queries";

function Circulars() {
  const q = useQuery(CircularsDoc, {});
  const t = useT();
  const { message } = App.useApp();
  return (
    <Card size="small" style={{ marginTop: 12 }} title={<L zh="全公司通报" en="Circulated bulletins" />} data-testid="circulars">
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading rows={2} /> : !q.data?.circulars.length ? (
        <Nothing zh="暂无其他项目的全公司通报" en="No bulletin of another project circulated yet" />
      ) : (
        <List size="small" dataSource={q.data.circulars} renderItem={(c) => (
          <List.Item key={c.bulletinId} extra={
            <Button size="small" data-testid="circular-print"
                    onClick={() => openPrint(c.printPath).catch((e: unknown) => void message.error(asApiError(e).message))}>
              <L zh="打印" en="Print" /></Button>}>
            <div>
              <Tag>{c.kindLabel.split(" ")[0]}</Tag><b>{c.title}</b> · {c.subject} · {c.month.slice(0, 7)}
              {c.withdrawnAt && <Tag style={{ marginLeft: 8 }}>{t("已撤回", "Withdrawn")}：{c.withdrawalReason}</Tag>}
              <div style={{ whiteSpace: "pre-wrap" }}>{c.body}</div>
            </div>
          </List.Item>
        )} />
      )}
    </Card>
  );
}

export function BulletinsTab() {
  const t = useT();
  const { viewer } = useAuth();
  const [state, setState] = useState<BulletinState | "ALL">("ALL");
  const q = useQuery(BulletinsDoc, { state: state === "ALL" ? null : state });
  const [list, setList] = useState<BulletinDetailFragment[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [mode, setMode] = useState<"view" | "new" | "edit">("view");
  useEffect(() => {
    if (q.data) setList(q.data.bulletins);
  }, [q.data]);
  const current = list.find((b) => b.id === selected) ?? list[0];
  const mayDraft = holdsAnywhere(viewer, "BULLETIN_PUBLISH");

  const saved = (b: BulletinDetailFragment) => {
    setList((l) => (l.some((x) => x.id === b.id) ? l.map((x) => (x.id === b.id ? b : x)) : [b, ...l]));
    setSelected(b.id);
    setMode("view");
  };

  const columns: ColumnsType<BulletinDetailFragment> = [
    { title: <L zh="类型" en="Kind" />, key: "kind", width: 64, render: (_, b) => <Tag>{b.kindLabel.split(" ")[0]}</Tag> },
    { title: <L zh="标题" en="Title" />, dataIndex: "title", ellipsis: true },
    { title: <L zh="项目" en="Project" />, key: "p", width: 100, ellipsis: true, render: (_, b) => b.project?.name ?? "" },
    { title: <L zh="月份" en="Month" />, key: "m", width: 72, render: (_, b) => <span className="fc-num">{b.month.slice(0, 7)}</span> },
    { title: <L zh="状态" en="State" />, key: "s", width: 110, render: (_, b) => <Tag>{b.stateLabel}</Tag> },
    { title: <L zh="更新" en="Updated" />, key: "u", width: 92, render: (_, b) => <span className="fc-num">{short(b.publishedAt ?? b.createdAt)}</span> },
  ];

  const side = mode !== "view" ? (
    <Card size="small"><BulletinForm key={mode === "edit" ? current?.id : "new"} editing={mode === "edit" ? current ?? null : null} onSaved={saved} />
      <Button style={{ marginTop: 8 }} onClick={() => setMode("view")}><L zh="取消" en="Cancel" /></Button></Card>
  ) : current ? <BulletinDetail key={current.id} b={current} onChanged={saved} onEdit={() => setMode("edit")} /> : null;

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={state} onChange={(v) => setState(v as BulletinState | "ALL")} aria-label={t("状态", "State")} options={[
          { value: "ALL", label: t("全部", "All") }, { value: "DRAFT", label: t("草稿", "Drafts") },
          { value: "PUBLISHED", label: t("已发布", "Published") }, { value: "WITHDRAWN", label: t("已撤回", "Withdrawn") }]} />
        {mayDraft && <Button type="primary" onClick={() => setMode("new")} data-testid="bulletin-new"><L zh="起草通报" en="Draft a bulletin" /></Button>}
      </Space>
      <ErrorBanner error={q.error} onRetry={() => void q.refetch()} />
      {q.loading && !q.data ? <Loading /> : (
        <div className="fc-split">
          {list.length === 0 && !q.error ? (
            <Nothing zh={mayDraft ? "暂无通报：点“起草通报”" : "暂无通报"} en={mayDraft ? "No bulletin yet: draft one" : "No bulletin yet"} />
          ) : (
            <Table<BulletinDetailFragment> size="small" rowKey="id" columns={columns} dataSource={list} pagination={false}
                                           data-testid="bulletins" rowClassName={(b) => (b.id === current?.id && mode === "view" ? "fc-selected" : "")}
                                           onRow={(b) => ({ onClick: () => { setSelected(b.id); setMode("view"); }, "data-bulletin": b.title } as HTMLAttributes<HTMLElement>)} />
          )}
          {side}
        </div>
      )}
      <Circulars />
    </div>
  );
}
