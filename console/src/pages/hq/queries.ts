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
      totals { received responseRate resolutionRate satisfactionRate collectionRate }
      previousTotals { received responseRate resolutionRate satisfactionRate collectionRate }
      projects {
        project { id code name city propertyType propertyTypeLabel }
        open
        overdue
        breachedToday
        alerts { red orange yellow blue }
        month { received responseRate resolutionRate satisfactionRate collectionRate }
        previousMonth { responseRate resolutionRate satisfactionRate collectionRate }
        score
        standardScore
        rank
        trend
        archiveAccuracy
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
  query ProjectSeries($from: Date!, $to: Date!, $projectId: ID, $monthsFrom: Date!) {
    kpiSeries(from: $from, to: $to, grain: DAY, projectId: $projectId) {
      period
      kpis { received responseRate resolutionRate satisfactionRate }
    }
    months: kpiSeries(from: $monthsFrom, to: $to, grain: MONTH, projectId: $projectId) {
      period
      kpis { received responseRate resolutionRate satisfactionRate }
    }
  }
`);

export const TargetDoc = graphql(`
  query SatisfactionTarget {
    alertSettings { satisfactionTarget }
  }
`);

export const BreakdownDoc = graphql(`
  query ProjectBreakdown($by: KpiDimension!, $month: Date, $projectId: ID) {
    kpiBreakdown(by: $by, month: $month, projectId: $projectId) {
      key
      label
      kpis { received responseRate resolutionRate satisfactionRate averageHandlingHours }
    }
  }
`);

export const OverdueDoc = graphql(`
  query ProjectOverdue($projectId: ID) {
    overdueCases(projectId: $projectId, first: 50) {
      case { id number kind stateLabel description category { name } }
      target
      targetLabel
      dueAt
      overdueMinutes
    }
  }
`);
