/** What to do about a failure, for the kinds a person causes most. */
export function errorHint(error: string): string {
  if (/^Cancelled$/i.test(error.trim())) return "Nothing it wrote was kept. Run it again when you are ready.";
  if (/Parameter/i.test(error) && /(no value|missing|required|not set)/i.test(error)) return "Give the parameter a value in the node's parameters, or a default in the code, then run again.";
  if (/not connected|unbound|no store/i.test(error)) return "Connect the port to a Table or Stream on the canvas (drag from the port to the store), then run again.";
  if (/time limit|timed out|timeout/i.test(error)) return "The run took too long and was stopped; make it do less per run (e.g. use State.should_continue), then run again.";
  const line = /line (\d+)/.exec(error);
  if (line) return `Fix the code near line ${line[1]} in the side panel, then run again. Nothing the failed run wrote was kept.`;
  return "Nothing the failed run wrote was kept. Fix the cause above, then run again.";
}
