import { graphql } from "../../gql";

export const SurveyProjectsDoc = graphql(`
  query SurveyProjects { projects(first: 100) { edges { node { id name code } } } }
`);

graphql(`
  fragment SurveyQuestionnaireFull on SurveyQuestionnaire {
    id title intro active usedAt createdAt
    questions { id position kind kindLabel text required dimension weight options { id position label score } }
  }
`);

export const SurveyQuestionnairesDoc = graphql(`
  query SurveyQuestionnaires { surveyQuestionnaires(includeInactive: true) { ...SurveyQuestionnaireFull } }
`);

graphql(`
  fragment SurveyCampaignRow on SurveyCampaign {
    id title state stateLabel opensAt closesAt sampleMode sampleValue seed cooldownDays sampleSize answered score
    openedAt closedAt cancelledAt cancelReason createdAt questionnaireId questionnaireTitle
  }
`);

export const SurveyCampaignsDoc = graphql(`
  query SurveyCampaigns($projectId: ID!) { surveyCampaigns(projectId: $projectId, first: 100) { ...SurveyCampaignRow } }
`);

export const SurveySampleDoc = graphql(`
  query SurveySample($campaignId: ID!, $pending: Boolean!, $flat: String) {
    surveySample(campaignId: $campaignId, pending: $pending, flat: $flat, first: 100) { unitId label buildingName answered channelLabel submittedAt }
  }
`);

export const SurveyResultsDoc = graphql(`
  query SurveyResults($campaignId: ID!) {
    surveyResults(campaignId: $campaignId) {
      campaign { ...SurveyCampaignRow }
      sampleSize responses responseRate score
      byBuilding { buildingId buildingName sampleSize responses responseRate score }
      byDimension { dimension label answers score }
      byQuestion { questionId position text kind answers meanRating score options { optionId label count share } texts }
    }
  }
`);

export const CreateQuestionnaireDoc = graphql(`
  mutation SurveyCreateQuestionnaire($input: SurveyQuestionnaireInput!, $key: String) {
    createSurveyQuestionnaire(input: $input, idempotencyKey: $key) { questionnaire { ...SurveyQuestionnaireFull } errors { code message field } }
  }
`);

export const SetQuestionnaireActiveDoc = graphql(`
  mutation SurveySetQuestionnaireActive($id: ID!, $active: Boolean!, $key: String) {
    setSurveyQuestionnaireActive(questionnaireId: $id, active: $active, idempotencyKey: $key) { questionnaire { ...SurveyQuestionnaireFull } errors { code message field } }
  }
`);

export const CreateCampaignDoc = graphql(`
  mutation SurveyCreateCampaign($projectId: ID!, $input: SurveyCampaignInput!, $key: String) {
    createSurveyCampaign(projectId: $projectId, input: $input, idempotencyKey: $key) { campaign { ...SurveyCampaignRow } errors { code message field } }
  }
`);

export const OpenCampaignDoc = graphql(`
  mutation SurveyOpenCampaign($id: ID!, $key: String) {
    openSurveyCampaign(campaignId: $id, idempotencyKey: $key) { campaign { ...SurveyCampaignRow } errors { code message field } }
  }
`);

export const CloseCampaignDoc = graphql(`
  mutation SurveyCloseCampaign($id: ID!, $key: String) {
    closeSurveyCampaign(campaignId: $id, idempotencyKey: $key) { campaign { ...SurveyCampaignRow } errors { code message field } }
  }
`);

export const CancelCampaignDoc = graphql(`
  mutation SurveyCancelCampaign($id: ID!, $reason: String!, $key: String) {
    cancelSurveyCampaign(campaignId: $id, reason: $reason, idempotencyKey: $key) { campaign { ...SurveyCampaignRow } errors { code message field } }
  }
`);

export const EnterResponseDoc = graphql(`
  mutation SurveyEnterResponse($campaignId: ID!, $unitId: ID!, $channel: SurveyEntryChannel!, $answers: [SurveyAnswerInput!]!, $key: String) {
    enterSurveyResponse(campaignId: $campaignId, unitId: $unitId, channel: $channel, answers: $answers, idempotencyKey: $key) {
      responseId errors { code message field }
    }
  }
`);
