// The one place that reads process.env: every setting is validated here.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { RetentionPolicy } from "@patchbay/db";
import { DEFAULT_WEBHOOK_LIMITS, type WebhookLimits } from "./webhooks/webhook-handler.ts";

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().url().optional(),
  WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  RUN_TIME_LIMIT_SECONDS: z.coerce.number().int().min(1).default(600),
  SEED_EXAMPLE: z.enum(["true", "false"]).default("true"),
  RUN_WORKERS: z.enum(["true", "false"]).default("true"),
  PATCHBAY_PYODIDE_INDEX_URL: z.string().url().optional(),
  RUNTIME_CACHE_DIR: z.string().optional(),
  PATCHBAY_SERVER: z.string().url().optional(),
  PATCHBAY_TOKEN: z.string().min(1).optional(),
  RUN_RETENTION_DAYS: z.coerce.number().min(0).default(30),
  VERSION_RETENTION_DAYS: z.coerce.number().min(0).default(7),
  WEBHOOK_MAX_BYTES: z.coerce.number().int().min(1).default(DEFAULT_WEBHOOK_LIMITS.maxBytes),
  WEBHOOK_RESPONSE_TIMEOUT_SECONDS: z.coerce.number().min(0.1).default(DEFAULT_WEBHOOK_LIMITS.responseTimeoutMs / 1000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PATCHBAY_SECRET_KEY: z.string().min(1).optional(),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_MINUTES: z.coerce.number().min(0.01).default(15),
});

export interface ServerEnv {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  workers: number;
  runTimeLimitMs: number;
  seedExample: boolean;
  /** Whether this process runs nodes (false: an API server in front of `patchbay worker` processes). */
  runWorkers: boolean;
  /** Pyodide package index for packages outside the Pyodide core; default: the official one. */
  packageIndexUrl: string | undefined;
  webhookLimits: WebhookLimits;
  retention: RetentionPolicy;
  /**
   * Pyodide memory snapshots and downloaded Python packages. Both are named by
   * their content, so one folder serves every DATA_DIR of the user.
   */
  runtimeCacheDir: string;
  /** The CLI talks to this server's API (with `apiToken`) instead of opening the database. */
  remote: { server: string; token: string } | null;
  /** "production" makes PATCHBAY_SECRET_KEY required (no key file is made up). */
  nodeEnv: "development" | "production" | "test";
  /** Encrypts workspace secrets: 32 bytes, base64 (apps/server secret-key.ts). */
  secretKey: string | undefined;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For and the host from X-Forwarded-Host. */
  trustProxy: boolean;
  /** Failed sign-ins allowed per address and per email within the window. */
  loginLimit: { limit: number; windowMs: number };
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    dataDir: resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    workers: env.WORKERS,
    runTimeLimitMs: env.RUN_TIME_LIMIT_SECONDS * 1000,
    seedExample: env.SEED_EXAMPLE === "true",
    runWorkers: env.RUN_WORKERS === "true",
    packageIndexUrl: env.PATCHBAY_PYODIDE_INDEX_URL,
    remote: env.PATCHBAY_SERVER ? { server: env.PATCHBAY_SERVER.replace(/\/$/, ""), token: env.PATCHBAY_TOKEN ?? "" } : null,
    runtimeCacheDir: resolve(env.RUNTIME_CACHE_DIR ?? join(homedir(), ".cache", "patchbay", "runtime")),
    retention: { runDays: env.RUN_RETENTION_DAYS, versionDays: env.VERSION_RETENTION_DAYS },
    webhookLimits: { ...DEFAULT_WEBHOOK_LIMITS, maxBytes: env.WEBHOOK_MAX_BYTES, responseTimeoutMs: env.WEBHOOK_RESPONSE_TIMEOUT_SECONDS * 1000 },
    nodeEnv: env.NODE_ENV,
    secretKey: env.PATCHBAY_SECRET_KEY,
    trustProxy: env.TRUST_PROXY === "true",
    loginLimit: { limit: env.LOGIN_MAX_ATTEMPTS, windowMs: env.LOGIN_WINDOW_MINUTES * 60_000 },
  };
}
