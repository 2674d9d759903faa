import { readEnv } from "./env.ts";
import { startApp } from "./app.ts";

const env = readEnv();
const app = await startApp(env);
console.log(`Patchbay is running at http://localhost:${new URL(app.url).port} (data: ${env.databaseUrl ? "PostgreSQL server" : env.dataDir})`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log("Stopping…");
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
