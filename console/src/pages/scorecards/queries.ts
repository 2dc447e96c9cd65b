import { graphql } from "../../gql";

export const ScorecardsDoc = graphql(`
  query Scorecards($month: Date) {
    scorecards(month: $month) {
      project { id code name city propertyTypeLabel }
      score
      standardScore
      rank
      trend
      inspectionScore
      collectionRate
      surveyScore
      month { received responseRate resolutionRate satisfactionRate onTimeRate }
    }
  }
`);

// The six months up to the chosen one, in one request: each project's standard score and rank.
export const ScoreHistoryDoc = graphql(`
  query ScoreHistory($m0: Date, $m1: Date, $m2: Date, $m3: Date, $m4: Date, $m5: Date) {
    m0: scorecards(month: $m0) { project { id } standardScore rank }
    m1: scorecards(month: $m1) { project { id } standardScore rank }
    m2: scorecards(month: $m2) { project { id } standardScore rank }
    m3: scorecards(month: $m3) { project { id } standardScore rank }
    m4: scorecards(month: $m4) { project { id } standardScore rank }
    m5: scorecards(month: $m5) { project { id } standardScore rank }
  }
`);
