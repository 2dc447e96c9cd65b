import { graphql } from "../../gql";

export const ResidentPageDoc = graphql(`
  query ResidentPage($id: ID!) {
    node(id: $id) {
      ... on Resident {
        id name kind phoneMasked erased idKind idKindLabel idNumberMasked note verifiedAt
        project { id name }
        occupancies(current: false) {
          id role roleLabel primaryContact movedInOn movedOutOn current
          unit { id label }
        }
        openCases { ...ResidentCase }
        recentCases(first: 10) { ...ResidentCase }
        contacts { id kind kindLabel label valueMasked }
        vehicles { ...ArchiveVehicle }
        pets { ...ArchivePet }
      }
    }
  }
`);

graphql(`
  fragment ResidentCase on Case { id number kind stateLabel description receivedAt }
`);

export const RevealsDoc = graphql(`
  query ResidentReveals($projectId: ID!, $residentId: ID!) {
    personalDataReveals(projectId: $projectId, residentId: $residentId, first: 20) {
      totalCount
      edges { node { at actor actorName field reason caseId } }
    }
  }
`);


export const UpdateResidentDoc = graphql(`
  mutation ArchiveUpdateResident($residentId: ID!, $input: UpdateResidentInput!, $key: String) {
    updateResident(residentId: $residentId, input: $input, idempotencyKey: $key) { resident { id } errors { code message field existingId } }
  }
`);

export const ConfirmResidentDoc = graphql(`
  mutation ArchiveConfirmResident($residentId: ID!, $key: String) {
    confirmResident(residentId: $residentId, idempotencyKey: $key) { resident { id verifiedAt } errors { code message } }
  }
`);

export const MoveInDoc = graphql(`
  mutation ArchiveMoveIn($input: MoveInResidentInput!, $key: String) {
    moveInResident(input: $input, idempotencyKey: $key) { occupancyId errors { code message field existingId } }
  }
`);

export const MoveOutDoc = graphql(`
  mutation ArchiveMoveOut($occupancyId: ID!, $movedOutOn: Date!, $key: String) {
    moveOutResident(occupancyId: $occupancyId, movedOutOn: $movedOutOn, idempotencyKey: $key) { occupancyId errors { code message field } }
  }
`);

export const AddContactDoc = graphql(`
  mutation ArchiveAddContact($residentId: ID!, $kind: ContactKind!, $value: String!, $label: String!, $key: String) {
    addResidentContact(residentId: $residentId, kind: $kind, value: $value, label: $label, idempotencyKey: $key) {
      contact { id } errors { code message field }
    }
  }
`);

export const RemoveContactDoc = graphql(`
  mutation ArchiveRemoveContact($contactId: ID!, $key: String) {
    removeResidentContact(contactId: $contactId, idempotencyKey: $key) { removedId errors { code message } }
  }
`);

export const EraseResidentDoc = graphql(`
  mutation ArchiveEraseResident($residentId: ID!, $reason: String!, $key: String) {
    eraseResident(residentId: $residentId, reason: $reason, idempotencyKey: $key) { resident { id name erased } errors { code message field } }
  }
`);
