/**
 * Loads a lazily imported chunk, trying again every few seconds while it fails: a chunk
 * asked for while the server is unreachable arrives once it is back, instead of the failed
 * import taking the whole page down.
 */
export function retryingImport<T>(load: () => Promise<T>, delayMs = 2000): Promise<T> {
  return load().catch(() => new Promise<void>((resolve) => setTimeout(resolve, delayMs)).then(() => retryingImport(load, delayMs)));
}
