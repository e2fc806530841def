import { z } from 'zod';
import { id } from './common';
import type { CompletionView } from './completion';
import type { Equipment } from './equipment';
import type { PrintHeader } from './report';

export const HistoryParams = z.object({ equipmentId: id }).strict();
export type HistoryParamsValue = z.output<typeof HistoryParams>;

/** A device's full record for an auditor: its details and every completion, amendments included. */
export interface HistoryDocument {
  view: 'history';
  header: PrintHeader;
  equipment: Pick<
    Equipment,
    'id' | 'assetTag' | 'name' | 'locationPath' | 'categoryName' | 'manufacturer' | 'model' | 'serial' | 'risk' | 'status' | 'statusReason'
  >;
  /** As completions.history gives them: newest first, amendments included. */
  records: CompletionView[];
}
