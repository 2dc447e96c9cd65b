import { graphql } from "../../gql";

export const NoticeProjectsDoc = graphql(`
  query NoticeProjects { projects(first: 100) { edges { node { id name code } } } }
`);

graphql(`
  fragment NoticeDetail on Notice {
    id title body kind kindLabel audience state stateLabel publishAt expiresAt pinned author approver returnedNote
    publishedAt withdrawnAt withdrawnBy withdrawReason recipientCount readUnitCount createdAt updatedAt
    channelIds buildingIds unitIds project { id }
    authorActor { displayName } approverActor { displayName } withdrawnByActor { displayName }
  }
`);

export const NoticesDoc = graphql(`
  query Notices($projectId: ID!, $state: NoticeState, $kind: NoticeKind, $after: String) {
    notices(projectId: $projectId, state: $state, kind: $kind, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...NoticeDetail } }
    }
  }
`);

export const NoticeUnreadDoc = graphql(`
  query NoticeUnread($id: ID!, $buildingId: ID, $after: String) {
    node(id: $id) {
      ... on Notice {
        id recipientCount readUnitCount
        unreadUnits(buildingId: $buildingId, first: 50, after: $after) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { node { id label appUser } }
        }
        deliveries { channelName channelKind topic status attempts sentAt }
      }
    }
  }
`);

export const NoticeBuildingsDoc = graphql(`
  query NoticeBuildings($projectId: ID!) { buildings(projectId: $projectId, first: 100) { edges { node { id name } } } }
`);

export const NoticeFlatsDoc = graphql(`
  query NoticeFlats($flat: String!, $projectId: ID) { callerLookup(flat: $flat, projectId: $projectId) { units { id label } } }
`);

export const NoticeChannelsDoc = graphql(`
  query NoticeChannels { deliveryChannels { id name kindLabel active projectId topics } }
`);


export const DraftNoticeDoc = graphql(`
  mutation DraftNotice($projectId: ID!, $input: NoticeInput!, $key: String) {
    draftNotice(projectId: $projectId, input: $input, idempotencyKey: $key) { notice { ...NoticeDetail } errors { code message field } }
  }
`);

export const UpdateNoticeDoc = graphql(`
  mutation UpdateNotice($id: ID!, $input: NoticeInput!, $key: String) {
    updateNotice(noticeId: $id, input: $input, idempotencyKey: $key) { notice { ...NoticeDetail } errors { code message field } }
  }
`);

export const SubmitNoticeDoc = graphql(`
  mutation SubmitNotice($id: ID!, $key: String) {
    submitNotice(noticeId: $id, idempotencyKey: $key) { notice { ...NoticeDetail } errors { code message field } }
  }
`);

export const ApproveNoticeDoc = graphql(`
  mutation ApproveNotice($id: ID!, $key: String) {
    approveNotice(noticeId: $id, idempotencyKey: $key) { notice { ...NoticeDetail } errors { code message field } }
  }
`);

export const ReturnNoticeDoc = graphql(`
  mutation ReturnNotice($id: ID!, $note: String!, $key: String) {
    returnNotice(noticeId: $id, note: $note, idempotencyKey: $key) { notice { ...NoticeDetail } errors { code message field } }
  }
`);

export const WithdrawNoticeDoc = graphql(`
  mutation WithdrawNotice($id: ID!, $reason: String!, $key: String) {
    withdrawNotice(noticeId: $id, reason: $reason, idempotencyKey: $key) { notice { ...NoticeDetail } errors { code message field } }
  }
`);
