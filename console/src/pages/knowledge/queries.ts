import { graphql } from "../../gql";

export const KnowledgeProjectsDoc = graphql(`
  query KnowledgeProjects {
    projects(first: 100) { edges { node { id code name } } }
    caseCategories { code name }
  }
`);

graphql(`
  fragment KnowledgeRow on KnowledgeArticle {
    id kind kindLabel title body version tags categoryCodes priceFen priceUnit active uses updatedAt updatedBy
    project { id name }
    versions { version title body note by at }
  }
`);

export const KnowledgeListDoc = graphql(`
  query KnowledgeList($projectId: ID, $inactive: Boolean!) {
    knowledgeArticles(projectId: $projectId, includeInactive: $inactive, first: 100) {
      totalCount edges { node { ...KnowledgeRow } }
    }
  }
`);

export const CreateArticleDoc = graphql(`
  mutation CreateKnowledgeArticle($projectId: ID, $kind: KnowledgeKind!, $input: KnowledgeArticleInput!, $key: String) {
    createKnowledgeArticle(projectId: $projectId, kind: $kind, input: $input, idempotencyKey: $key) {
      article { id } errors { code message field }
    }
  }
`);

export const ReviseArticleDoc = graphql(`
  mutation ReviseKnowledgeArticle($articleId: ID!, $input: KnowledgeArticleInput!, $note: String, $key: String) {
    reviseKnowledgeArticle(articleId: $articleId, input: $input, note: $note, idempotencyKey: $key) {
      article { id version } errors { code message field }
    }
  }
`);

export const SetArticleActiveDoc = graphql(`
  mutation SetKnowledgeArticleActive($articleId: ID!, $active: Boolean!, $key: String) {
    setKnowledgeArticleActive(articleId: $articleId, active: $active, idempotencyKey: $key) {
      article { id active } errors { code message field }
    }
  }
`);

export const SearchKnowledgeDoc = graphql(`
  query SearchKnowledge($projectId: ID!, $text: String!, $categoryCode: String) {
    searchKnowledge(projectId: $projectId, text: $text, categoryCode: $categoryCode, first: 5) {
      id kind kindLabel title body priceFen priceUnit uses
    }
  }
`);

export const UseArticleDoc = graphql(`
  mutation UseKnowledgeArticle($articleId: ID!, $projectId: ID!, $key: String) {
    useKnowledgeArticle(articleId: $articleId, projectId: $projectId, idempotencyKey: $key) {
      article { id uses } errors { code message field }
    }
  }
`);

/** 元 from fen, as a desk reads a price: 50 → "0.50". */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
