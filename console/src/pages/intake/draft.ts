// The intake form's draft, kept in localStorage (per signed-in person) until the case is
// registered: a reload, a crash or a second call on hold loses nothing. The form's idempotency
// key is kept with it, so a draft whose register went out but whose answer was lost can never
// become a second case when sent again.
export interface Draft {
  key: string;
  where: "public" | "unit";
  values: Record<string, unknown>;
}

const name = (userId: string) => `firstcall.intake.draft:${userId}`;

export function loadDraft(userId: string): Draft | null {
  try {
    const d = JSON.parse(localStorage.getItem(name(userId)) ?? "null") as Draft | null;
    return d && typeof d.key === "string" && d.values && typeof d.values === "object" ? d : null;
  } catch {
    return null;
  }
}

export function saveDraft(userId: string, draft: Draft): void {
  try {
    localStorage.setItem(name(userId), JSON.stringify(draft));
  } catch {
    // storage full or refused: the form itself still works
  }
}

export function clearDraft(userId: string): void {
  localStorage.removeItem(name(userId));
}
