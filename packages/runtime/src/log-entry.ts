import { isObject } from "./json-guards.ts";
import type { LogEntry, LogLevel } from "./protocol.ts";

const LOG_LEVELS: readonly string[] = ["trace", "debug", "info", "warn", "error"];
/** A run keeps at most this many log entries; the rest are dropped with a notice. */
export const MAX_LOG_ENTRIES = 10_000;
/** Longest log message kept; longer ones are cut (a print of a huge value). */
export const MAX_LOG_MESSAGE_CHARS = 16_000;

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === "string" && LOG_LEVELS.includes(value);
}

export function truncateLogMessage(message: string): string {
  return message.length > MAX_LOG_MESSAGE_CHARS ? `${message.slice(0, MAX_LOG_MESSAGE_CHARS)}… (cut)` : message;
}

/** A log entry from an untrusted source, or null when it is malformed. */
export function parseLogEntry(value: unknown): LogEntry | null {
  if (!isObject(value) || !isLogLevel(value.level) || typeof value.message !== "string") return null;
  const time = typeof value.time === "number" && Number.isFinite(value.time) ? value.time : Date.now();
  return { level: value.level, message: truncateLogMessage(value.message), time };
}
