import { z } from 'zod';
import { id } from './common';
import type { CompletionView } from './completion';
import type { Equipment } from './equipment';
import type { PrintHeader } from './report';

export const HistoryParams = z
  .object({
    equipmentId: id,
    /** Only the records of these tasks (task type codes), with the amendments that correct them; absent: all. */
    tasks: z.array(z.string().max(40)).max(50).optional(),
  })
  .strict();
export type HistoryParamsValue = z.output<typeof HistoryParams>;

/** A device's full record for an auditor: its details and every completion, amendments included. */
export interface HistoryDocument {
  view: 'history';
  header: PrintHeader;
  equipment: Pick<
    Equipment,
    'id' | 'assetTag' | 'name' | 'locationPath' | 'categoryName' | 'manufacturer' | 'model' | 'serial' | 'risk' | 'status' | 'statusReason'
  >;
  /** As completions.history gives them: newest first, amendments included (of the tasks asked for, if any). */
  records: CompletionView[];
}

/**
 * The records of some tasks, each with every record in its chain of amendments (an amendment
 * corrects a record of the same work, so it stays with it even if it names another task), in the
 * order given.
 */
export function recordsOfTasks<R extends Pick<CompletionView, 'id' | 'task' | 'amendsId' | 'amendedById'>>(records: readonly R[], tasks: readonly string[]): R[] {
  const wanted = new Set(tasks);
  const kept = new Set(records.filter((r) => wanted.has(r.task)).map((r) => r.id));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of records) {
      if (kept.has(r.id)) continue;
      if ((r.amendsId !== null && kept.has(r.amendsId)) || (r.amendedById !== null && kept.has(r.amendedById))) {
        kept.add(r.id);
        grew = true;
      }
    }
  }
  return records.filter((r) => kept.has(r.id));
}
