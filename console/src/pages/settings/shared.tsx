// What the settings tabs share: who may change what, and how a target reads.
import { useState } from "react";
import type { Viewer } from "../../auth";
import type { Permission } from "../../gql/graphql";

/** Held company-wide: company settings (ladder, calendar, weights, thresholds). */
export function holdsCompanyWide(viewer: Viewer | null, permission: Permission): boolean {
  return !!viewer?.permissions.includes(permission);
}

/** 30分钟, 4小时, 1天, 1时30分: how a target reads. */
export function minutesLabel(min: number): string {
  if (min % 1440 === 0) return `${min / 1440}天`;
  if (min % 60 === 0) return `${min / 60}小时`;
  if (min > 60) return `${Math.floor(min / 60)}时${min % 60}分`;
  return `${min}分钟`;
}

/** A save that reads the settings back: `saving` holds from the save until the read-back has
 * landed, so a form disabled by it cannot be typed into and then overwritten by the read-back. */
export function useSaveAndReload(send: () => Promise<boolean>, reload: () => Promise<unknown>): { saving: boolean; save: () => Promise<void> } {
  const [saving, setSaving] = useState(false);
  async function save() {
    setSaving(true);
    try {
      if (await send()) await reload();
    } finally {
      setSaving(false);
    }
  }
  return { saving, save };
}
