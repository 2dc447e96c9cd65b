import { graphql } from "../../gql";

export const OverviewDoc = graphql(`
  query OrgOverview($month: Date) {
    orgOverview(month: $month) {
      month
      open
      overdue
      breachedToday
      scoredAt
      alerts { red orange yellow blue }
      totals { received responseRate resolutionRate satisfactionRate }
      previousTotals { received responseRate resolutionRate satisfactionRate }
      projects {
        project { id code name city }
        open
        overdue
        breachedToday
        alerts { red orange yellow blue }
        month { received responseRate resolutionRate satisfactionRate }
        previousMonth { responseRate resolutionRate satisfactionRate }
        score
        standardScore
        rank
        trend
      }
    }
  }
`);

export const OpenAlertsDoc = graphql(`
  query OpenAlerts {
    alerts(state: "open", first: 50) { id rule ruleLabel colour colourLabel title detail state projectId openedAt }
  }
`);

export const AlertStreamDoc = graphql(`
  subscription AlertStream {
    alerts {
      topic
      alert { id rule ruleLabel colour colourLabel title detail state projectId openedAt }
    }
  }
`);

export const SeriesDoc = graphql(`
  query ProjectSeries($from: Date!, $to: Date!, $projectId: ID) {
    kpiSeries(from: $from, to: $to, grain: DAY, projectId: $projectId) {
      period
      kpis { received responseRate resolutionRate satisfactionRate }
    }
  }
`);
