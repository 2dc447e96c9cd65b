import { graphql } from "../../gql";

graphql(`
  fragment InboxItem on Notification {
    id topic title body caseId createdAt readAt escalationLevel
  }
`);

export const InboxDoc = graphql(`
  query InboxPage($unreadOnly: Boolean!) {
    notifications(unreadOnly: $unreadOnly, first: 100) { unreadCount items { ...InboxItem } }
  }
`);

export const UnreadCountDoc = graphql(`
  query InboxUnreadCount {
    notifications(unreadOnly: true, first: 1) { unreadCount }
  }
`);

export const InboxEventsDoc = graphql(`
  subscription InboxEvents {
    inbox { unreadCount notification { ...InboxItem } }
  }
`);

export const RedAlertsDoc = graphql(`
  subscription InboxRedAlerts {
    alerts { topic alert { id colour colourLabel title } }
  }
`);

export const MarkReadDoc = graphql(`
  mutation MarkNotificationsRead($ids: [ID!], $all: Boolean!, $key: String) {
    markNotificationsRead(ids: $ids, all: $all, idempotencyKey: $key) { unreadCount errors { code message field } }
  }
`);
