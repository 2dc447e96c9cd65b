// Amounts arrive as integer fen (the Fen scalar: a JSON number) and are typed as yuan strings.

export function yuan(fen: unknown): string {
  const n = Number(fen);
  if (!Number.isFinite(n)) return "—";
  const sign = n < 0 ? "-" : "";
  const a = Math.abs(n);
  return `${sign}${Math.floor(a / 100).toLocaleString("en-US")}.${String(a % 100).padStart(2, "0")}`;
}

/** "123.45" → 12345; null when it is not an amount with at most two decimals. */
export function toFen(text: string): number | null {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** "1.8750" (元, up to four decimals) → 18750 (元 × 10,000). */
export function toRate(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,4}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 10000 + Number((m[2] ?? "").padEnd(4, "0"));
}

export const month = (d: string) => d.slice(0, 7);
