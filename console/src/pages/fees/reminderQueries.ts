// The fee page's reminders (催缴), their settings, payment integrations (支付对接) and a dry run's
// skipped flats: the API of docs/resident-services.md §6.4, §6.6 and its "As built" notes.
import { graphql } from "../../gql";

graphql(`
  fragment FeeHoldFields on FeeHold { id unitId until reason by createdAt releasedAt }
`);

export const RecordFeeReminderDoc = graphql(`
  mutation FeeRecordReminder($unitId: ID!, $way: ReminderWay!, $note: String!, $key: String) {
    recordFeeReminder(unitId: $unitId, way: $way, note: $note, idempotencyKey: $key) {
      feeReminder { id way wayLabel sentOn note } errors { code message field }
    }
  }
`);

export const HoldFeeRemindersDoc = graphql(`
  mutation FeeHoldReminders($unitId: ID!, $until: Date!, $reason: String!, $key: String) {
    holdFeeReminders(unitId: $unitId, until: $until, reason: $reason, idempotencyKey: $key) { feeHold { ...FeeHoldFields } errors { code message field } }
  }
`);

export const ReleaseFeeHoldDoc = graphql(`
  mutation FeeReleaseHold($unitId: ID!, $key: String) {
    releaseFeeHold(unitId: $unitId, idempotencyKey: $key) { feeHold { ...FeeHoldFields } errors { code message field } }
  }
`);

export const FeeRemindersDoc = graphql(`
  query FeeUnitReminders($unitId: ID!) {
    feeReminders(unitId: $unitId, first: 10) { id way wayLabel scheduleName sentOn by note overdue }
  }
`);

graphql(`
  fragment FeeSchedule on ReminderSchedule { id name minOverdueDays minAmount everyDays chargeItemIds channelIds toApp active createdAt }
`);

export const FeeReminderSettingsDoc = graphql(`
  query FeeReminderSettings($projectId: ID!) {
    feeSettings(projectId: $projectId) { projectId quietFrom quietUntil reminderCapPerMonth }
    reminderSchedules(projectId: $projectId) { ...FeeSchedule }
  }
`);

export const FeeChannelsDoc = graphql(`
  query FeeChannels($projectId: ID!) { reminderChannels(projectId: $projectId) { id name active projectId } }
`);

export const SetFeeSettingsDoc = graphql(`
  mutation FeeSetSettings($projectId: ID!, $quietFrom: Time!, $quietUntil: Time!, $cap: Int!, $key: String) {
    setFeeSettings(projectId: $projectId, quietFrom: $quietFrom, quietUntil: $quietUntil, reminderCapPerMonth: $cap, idempotencyKey: $key) {
      feeSettings { projectId quietFrom quietUntil reminderCapPerMonth } errors { code message field }
    }
  }
`);

export const CreateReminderScheduleDoc = graphql(`
  mutation FeeCreateSchedule($projectId: ID!, $input: ReminderScheduleInput!, $key: String) {
    createReminderSchedule(projectId: $projectId, input: $input, idempotencyKey: $key) { reminderSchedule { ...FeeSchedule } errors { code message field } }
  }
`);

export const UpdateReminderScheduleDoc = graphql(`
  mutation FeeUpdateSchedule($id: ID!, $input: ReminderScheduleInput!, $key: String) {
    updateReminderSchedule(scheduleId: $id, input: $input, idempotencyKey: $key) { reminderSchedule { ...FeeSchedule } errors { code message field } }
  }
`);

graphql(`
  fragment FeeIntegration on PaymentIntegration { id name active lastUsedAt createdAt createdBy inboundPath }
`);

export const PaymentIntegrationsDoc = graphql(`
  query FeePaymentIntegrations($projectId: ID!) { paymentIntegrations(projectId: $projectId) { ...FeeIntegration } }
`);

export const AddPaymentIntegrationDoc = graphql(`
  mutation FeeAddIntegration($projectId: ID!, $name: String!, $key: String) {
    addPaymentIntegration(projectId: $projectId, name: $name, idempotencyKey: $key) { integration { ...FeeIntegration } secret errors { code message field } }
  }
`);

export const RotateIntegrationSecretDoc = graphql(`
  mutation FeeRotateIntegration($id: ID!, $key: String) {
    rotatePaymentIntegrationSecret(integrationId: $id, idempotencyKey: $key) { integration { ...FeeIntegration } secret errors { code message field } }
  }
`);

export const SetIntegrationActiveDoc = graphql(`
  mutation FeeSetIntegrationActive($id: ID!, $active: Boolean!, $key: String) {
    setPaymentIntegrationActive(integrationId: $id, active: $active, idempotencyKey: $key) { integration { ...FeeIntegration } errors { code message field } }
  }
`);

export const SkippedUnitsDoc = graphql(`
  query FeeSkippedUnits($id: ID!) {
    billRun(id: $id) {
      id
      skippedUnits(first: 1000) {
        reason reasonLabel chargeItemName unitLabel spaceLabel months firstMonth lastMonth
        unit { id building { id } }
      }
    }
  }
`);
