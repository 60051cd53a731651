export function formatError(e: unknown): string {
  return String(e);
}
