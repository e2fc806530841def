import type { AppErrorValue } from '../../../shared/result';

/** Splits a back-end error into per-field messages (shown beside fields) and the rest (a banner). */
export function fieldErrors(error: AppErrorValue | null | undefined): { byField: Record<string, string>; general: AppErrorValue | null } {
  if (!error) return { byField: {}, general: null };
  const byField: Record<string, string> = {};
  const items = error.details && error.details.length > 0 ? error.details : [{ message: error.message, field: error.field }];
  let unplaced = false;
  for (const item of items) {
    if (item.field && !(item.field in byField)) byField[item.field] = item.message;
    else if (!item.field) unplaced = true;
  }
  if (error.field && !(error.field in byField)) byField[error.field] = error.message;
  return { byField, general: unplaced || Object.keys(byField).length === 0 ? error : null };
}
