import { graphql } from "../../gql";

// --- users, roles, staff -------------------------------------------------------------------

export const AdminProjectsDoc = graphql(`
  query AdminProjects { projects(first: 100) { edges { node { id name code departments { id name } } } } }
`);

/** The roles the API offers (its Role enum), so a new role appears without a console release. */
export const RoleListDoc = graphql(`
  query RoleList { __type(name: "Role") { enumValues { name } } }
`);

export const UsersDoc = graphql(`
  query AdminUsers($after: String) {
    organization {
      users(first: 50, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id username displayName active roles { role roleLabel assignmentId project { id name } } } }
      }
    }
  }
`);

export const CreateUserDoc = graphql(`
  mutation CreateUser($input: CreateUserInput!, $key: String) {
    createUser(input: $input, idempotencyKey: $key) { user { id username } errors { code message field } }
  }
`);

export const AssignRoleDoc = graphql(`
  mutation AssignRole($input: AssignRoleInput!, $key: String) { assignRole(input: $input, idempotencyKey: $key) { assignmentId errors { code message field } } }
`);

export const RevokeRoleDoc = graphql(`
  mutation RevokeRole($id: ID!, $key: String) { revokeRole(assignmentId: $id, idempotencyKey: $key) { ok errors { code message field } } }
`);

export const StaffDoc = graphql(`
  query AdminStaff($projectId: ID!) {
    project(id: $projectId) { id staff { id name title phoneMasked active departmentName } }
  }
`);

export const CreateStaffDoc = graphql(`
  mutation CreateStaff($input: CreateStaffInput!, $key: String) { createStaff(input: $input, idempotencyKey: $key) { staffId errors { code message field } } }
`);

export const RevealPhoneDoc = graphql(`
  mutation RevealStaffPhone($staffId: ID!) { revealStaffPhone(staffId: $staffId) { value errors { code message } } }
`);

// --- API keys --------------------------------------------------------------------------------

export const ApiKeysDoc = graphql(`
  query ApiKeys {
    organization {
      apiKeys { id prefix name access projectIds expiresAt revokedAt lastUsedAt createdAt permissions grantedPermissions }
    }
  }
`);

export const CreateApiKeyDoc = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) { apiKey { id prefix } secret errors { code message field } }
  }
`);

export const RevokeApiKeyDoc = graphql(`
  mutation RevokeApiKey($id: ID!, $key: String) { revokeApiKey(id: $id, idempotencyKey: $key) { ok errors { code message } } }
`);

// --- case categories -------------------------------------------------------------------------

export const CategoriesDoc = graphql(`
  query AdminCategories { caseCategories(includeArchived: true) { code name nameEn kinds sort archived } }
`);

export const AddCategoryDoc = graphql(`
  mutation AddCaseCategory($code: String!, $input: CaseCategoryInput!, $key: String) {
    addCaseCategory(code: $code, input: $input, idempotencyKey: $key) { category { code } errors { code message field } }
  }
`);

export const UpdateCategoryDoc = graphql(`
  mutation UpdateCaseCategory($code: String!, $input: CaseCategoryInput!, $key: String) {
    updateCaseCategory(code: $code, input: $input, idempotencyKey: $key) { category { code } errors { code message field } }
  }
`);

export const ArchiveCategoryDoc = graphql(`
  mutation SetCaseCategoryArchived($code: String!, $archived: Boolean!, $key: String) {
    setCaseCategoryArchived(code: $code, archived: $archived, idempotencyKey: $key) { category { code archived } errors { code message } }
  }
`);

// --- delivery: channels, log, dead letters ---------------------------------------------------

export const ChannelsDoc = graphql(`
  query DeliveryChannels { deliveryChannels { id kind kindLabel name target topics minLevel perMinute active projectId } }
`);

export const AddChannelDoc = graphql(`
  mutation AddDeliveryChannel($input: DeliveryChannelInput!, $key: String) {
    addDeliveryChannel(input: $input, idempotencyKey: $key) { channel { id } errors { code message field } }
  }
`);

export const ChannelActiveDoc = graphql(`
  mutation SetDeliveryChannelActive($id: ID!, $active: Boolean!, $key: String) {
    setDeliveryChannelActive(channelId: $id, active: $active, idempotencyKey: $key) { channel { id active } errors { code message } }
  }
`);

export const DeliveryLogDoc = graphql(`
  query DeliveryLog($purpose: DeliveryPurpose, $status: String, $topic: String, $projectId: ID) {
    deliveryLog(purpose: $purpose, status: $status, topic: $topic, projectId: $projectId, first: 100) {
      id purpose kind topic title status attempts replays lastError projectId createdAt sentAt
    }
  }
`);

export const ReplayDoc = graphql(`
  mutation ReplayDelivery($id: ID!, $key: String) {
    replayDelivery(deliveryId: $id, idempotencyKey: $key) { delivery { id replays } errors { code message } }
  }
`);

export const DeadLettersDoc = graphql(`
  query DeadLetters($includeRetried: Boolean!) {
    deadLetters(includeRetried: $includeRetried, first: 100) { id eventId topic attempts error failedAt retriedAt retriedBy }
  }
`);

export const RetryDeadLetterDoc = graphql(`
  mutation RetryDeadLetter($id: ID!, $key: String) {
    retryDeadLetter(id: $id, idempotencyKey: $key) { deadLetter { id retriedAt } errors { code message } }
  }
`);

// --- outside bodies, 12345 bridges -----------------------------------------------------------

export const OutsideBodiesDoc = graphql(`
  query AdminOutsideBodies($projectId: ID!) {
    outsideBodies(projectId: $projectId) { id kind kindLabel name contactName contactPhone address delivery deliveryLabel webhookUrl email hasSecret feedbackDays active inboundPath }
  }
`);

export const AddOutsideBodyDoc = graphql(`
  mutation AddOutsideBody($input: OutsideBodyInput!, $key: String) {
    addOutsideBody(input: $input, idempotencyKey: $key) { body { id name } secret errors { code message field } }
  }
`);

export const UpdateOutsideBodyDoc = graphql(`
  mutation UpdateOutsideBody($id: ID!, $changes: OutsideBodyChanges!, $key: String) {
    updateOutsideBody(bodyId: $id, changes: $changes, idempotencyKey: $key) { body { id active } errors { code message field } }
  }
`);

export const RotateOutsideBodySecretDoc = graphql(`
  mutation RotateOutsideBodySecret($id: ID!) {
    rotateOutsideBodySecret(bodyId: $id) { body { id name } secret errors { code message } }
  }
`);

// 12345 热线对接, shaped as the other signed integrations (pages/integrations/IntegrationsTab).
export const GovIntegrationFragment = graphql(`
  fragment GovIntegration on GovBridge { id name city callbackUrl active lastUsedAt updatedAt inboundPath receiver { id displayName } }
`);

export const GovIntegrationsDoc = graphql(`
  query AdminGovIntegrations($projectId: ID!) { govIntegrations(projectId: $projectId) { ...GovIntegration } }
`);

export const ProjectMembersDoc = graphql(`
  query AdminProjectMembers($projectId: ID!) { project(id: $projectId) { id members { id displayName username } } }
`);

export const AddGovIntegrationDoc = graphql(`
  mutation AdminAddGovIntegration($projectId: ID!, $name: String!, $city: String!, $callbackUrl: String!, $receiverId: ID!, $key: String) {
    addGovIntegration(projectId: $projectId, name: $name, city: $city, callbackUrl: $callbackUrl, receiverId: $receiverId, idempotencyKey: $key) {
      integration { ...GovIntegration } secret errors { code message field } }
  }
`);

export const SetGovIntegrationActiveDoc = graphql(`
  mutation AdminSetGovIntegrationActive($id: ID!, $active: Boolean!, $key: String) {
    setGovIntegrationActive(integrationId: $id, active: $active, idempotencyKey: $key) { integration { ...GovIntegration } errors { code message field } }
  }
`);

export const RotateGovIntegrationSecretDoc = graphql(`
  mutation AdminRotateGovIntegrationSecret($id: ID!, $key: String) {
    rotateGovIntegrationSecret(integrationId: $id, idempotencyKey: $key) { integration { ...GovIntegration } secret errors { code message field } }
  }
`);

export const CityDeadlinesDoc = graphql(`
  query AdminCityDeadlines($city: String) {
    govCityDeadlines(city: $city) { city urgency urgencyLabel responseMinutes resolveMinutes isDefault }
  }
`);

export const SetCityDeadlinesDoc = graphql(`
  mutation SetGovCityDeadlines($city: String!, $deadlines: [GovCityDeadlineInput!]!, $key: String) {
    setGovCityDeadlines(city: $city, deadlines: $deadlines, idempotencyKey: $key) { deadlines { urgency } errors { code message field } }
  }
`);
