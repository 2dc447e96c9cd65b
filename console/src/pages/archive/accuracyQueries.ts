import { graphql } from "../../gql";

// The project's latest computed day (the nightly sweep, or an import's recount).
export const AccuracyDoc = graphql(`
  query ArchiveAccuracy($projectId: ID!) {
    archiveAccuracy(projectId: $projectId) {
      day percentage recordsChecked recordsWithProblems computedAt
      checks { problem count label }
    }
  }
`);

// The flats failing one check, as they are now, 50 at a time.
export const ProblemUnitsDoc = graphql(`
  query ArchiveProblemUnits($projectId: ID!, $problem: ArchiveProblem!, $after: String) {
    units(projectId: $projectId, filter: { problem: $problem }, first: 50, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ArchiveUnit } }
    }
  }
`);
