// One import followed to its end: archiveImport(id) asked every second while it is queued or
// running (the worker writes its progress every 5,000 rows), then once more never.
import { useEffect, useState } from "react";
import { request } from "../../api/client";
import type { ArchiveImportQuery } from "../../gql/graphql";
import { asApiError } from "../../ui/action";
import type { ApiError } from "../../api/client";
import { ArchiveImportDoc } from "./queries";

export type Job = NonNullable<ArchiveImportQuery["archiveImport"]>;

export const running = (job: Job | null) => !!job && (job.state === "QUEUED" || job.state === "RUNNING");

export function useImport(id: string | null, onDone: (job: Job) => void): { job: Job | null; error: ApiError | null } {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!id) return;
    let live = true;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const found = (await request(ArchiveImportDoc, { id })).archiveImport;
        if (!live) return;
        setJob(found);
        setError(null);
        if (found && !running(found)) {
          onDone(found);
          return;
        }
      } catch (e) {
        if (live) setError(asApiError(e)); // shown, and asked again: a blip must not end the bar
      }
      if (live) timer = window.setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // onDone is read when the import ends, not a reason to start polling again
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return { job, error };
}
