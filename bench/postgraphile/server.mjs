// PostGraphile v5 over the benchmark database, as the peer of DESIGN §10: the application role,
// the same row-level security settings our API sets per transaction, one process per core.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const port = Number(process.env.PORT ?? 8732);
const workers = Number(process.env.WORKERS ?? 2);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
} else {
  const preset = {
    extends: [PostGraphileAmberPreset],
    pgServices: [
      makePgService({
        connectionString: process.env.DATABASE_URL,
        schemas: ["public"],
        poolConfig: { max: Number(process.env.POOL ?? 20) },
        pgSettings: () => ({ "app.org_id": process.env.ORG_ID, "app.project_ids": "*", "app.actor": "bench" }),
      }),
    ],
    grafserv: { port, graphqlPath: "/graphql", watch: false },
    grafast: { explain: false },
  };
  const serv = postgraphile(preset).createServ(grafserv);
  const server = createServer();
  serv.addTo(server).then(() => server.listen(port));
}
