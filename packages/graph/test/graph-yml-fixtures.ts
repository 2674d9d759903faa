// An app folder in the shape Patterns exports: 8-character ids, grid positions,
// store names in port mappings, keys Patchbay does not know (icon_url, storage,
// display.style, storages), a webhook, a SQL node, a chart, docs and a readme.

export const SUPPORT_BOT_YML = `title: Support bot
slug: support-bot
description_file: readme.md
functions:
- display:
    x: -3
    y: 4
  id: x6vvfchf
  title: Incoming tickets
  webhook: tickets
- display:
    x: -1
    y: 4
  icon_url: https://example.com/icons/slack.svg
  id: svl4za5s
  inputs:
    raw: tickets
  node_file: format_ticket.py
  outputs:
    formatted: formatted_tickets
  parameter_values:
    slack: \${{ connection.slackbot_2 }}
    max_length: 280
  title: Format ticket
  trigger: 0 * * * *
- display:
    style: form
    width: 3
    x: -3
    y: 6
  id: e3j63oxz
  node_file: manual_ticket.py
  parameter_values:
    Question: how do I reset my password?
  description_file: docs/manual-ticket.md
- display:
    x: 1
    y: 0
  id: 5bz7uzgp
  node_file: sql/count_by_topic.sql
  outputs:
    output_table: topic_counts
  title: Count by topic
- display:
    x: 3
    y: 0
    width: 2
    height: 2
  id: c7chart1
  node_file: topics_chart.json
  chart_input: topic_counts
  title: Topics
storages:
- database: Default_ro
  definition: Default
  engines:
  - postgres
  read_only: true
stores:
- display:
    x: -2
    y: 4
  id: rqw62cxu
  table: tickets
- display:
    x: 0
    y: 4
  id: 7sedx6fc
  stream: formatted_tickets
- display:
    x: 2
    y: 0
  id: v63mxhbd
  table: topic_counts
  storage: Default_ro
  schema: TopicCount
docs:
- id: d0cs0001
  markdown_file: notes.md
  display:
    x: 0
    y: -2
dashboards:
- id: 6v2w6iil
  title: Overview
`;

export const FORMAT_TICKET_PY = `from patterns import Parameter, Stream, Table

raw = Table("raw")
formatted = Stream("formatted", "w")
limit = Parameter("max_length", type=int, default=200)

for row in raw.read():
    formatted.write({"text": str(row["record"])[:limit]})
`;

export const MANUAL_TICKET_PY = `from patterns import Parameter, Table

question = Parameter("Question", type=str)
Table("tickets", "w").append({"record": {"text": question}})
`;

export const COUNT_BY_TOPIC_SQL = `select topic, count(*) as tickets
from {{ Table("formatted_tickets") }}
group by topic
`;

export const TOPICS_CHART_JSON = `{
  "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
  "mark": "bar",
  "encoding": { "x": { "field": "topic", "type": "nominal" }, "y": { "field": "tickets", "type": "quantitative" } }
}
`;

/** The whole support-bot folder, as importGraphYml takes it. */
export function supportBotFiles(): Record<string, string> {
  return {
    "graph.yml": SUPPORT_BOT_YML,
    "readme.md": "# Support bot\n\nAnswers tickets.\n",
    "format_ticket.py": FORMAT_TICKET_PY,
    "manual_ticket.py": MANUAL_TICKET_PY,
    "docs/manual-ticket.md": "Type a question into the form.\n",
    "sql/count_by_topic.sql": COUNT_BY_TOPIC_SQL,
    "topics_chart.json": TOPICS_CHART_JSON,
    "notes.md": "# Notes\n\nTickets arrive through the webhook.\n",
  };
}

/** A one-function app with `graph.yml` text `yml` and a trivial node file. */
export function oneFunctionApp(yml: string, extra: Record<string, string> = {}): Record<string, string> {
  return { "graph.yml": yml, "load.py": 'from patterns import Table\nTable("out", "w").append({"a": 1})\n', ...extra };
}
