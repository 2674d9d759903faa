const CRON_MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
// One cron field: numbers, names (JAN, MON), *, ?, ranges, steps, lists, L/W/#.
const CRON_FIELD = /^[0-9A-Za-z*?/,#-]+$/;

/** True for a cron schedule like "0 * * * *" (5 fields, or 6 with seconds) or a macro like "@daily". */
export function isCronExpression(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 200) return false;
  if (trimmed.startsWith("@")) return CRON_MACROS.includes(trimmed.toLowerCase());
  const fields = trimmed.split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((field) => CRON_FIELD.test(field) && /[0-9*?]/.test(field) || /^[A-Za-z]{3}(-[A-Za-z]{3})?$/.test(field));
}
