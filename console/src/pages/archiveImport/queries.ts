import { graphql } from "../../gql";

export const ImportProjectsDoc = graphql(`
  query ArchiveImportProjects {
    projects(first: 100) { edges { node { id code name } } }
  }
`);

export const ImportArchiveDoc = graphql(`
  mutation ImportArchive($uploadId: ID!, $dryRun: Boolean!, $key: String) {
    importArchive(uploadId: $uploadId, dryRun: $dryRun, idempotencyKey: $key) {
      import { id state }
      errors { code message reason }
    }
  }
`);

export const ArchiveImportDoc = graphql(`
  query ArchiveImport($id: ID!) {
    archiveImport(id: $id) {
      id uploadId fileName dryRun state stateLabel rowsTotal rowsDone progress problemCount error reportPath
      createdAt finishedAt counts { sheet created updated unchanged }
      problems { sheet row column value problem code }
    }
  }
`);

export const RecentImportsDoc = graphql(`
  query RecentArchiveImports($projectId: ID!) {
    archiveImports(projectId: $projectId, first: 10) {
      id fileName kind dryRun state stateLabel problemCount createdAt finishedAt
      counts { sheet created updated unchanged }
      createdBy { displayName }
    }
  }
`);

