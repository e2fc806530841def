import { authHandlers } from './auth';
import { backupHandlers } from './backups';
import { equipmentHandlers } from './equipment';
import { loggingHandlers } from './logging';
import { planHandlers } from './plans';
import { procedureHandlers } from './procedures';
import { stockHandlers } from './stock';
import { reportHandlers } from './reports';
import { systemHandlers } from './system';
import type { Handlers } from './types';

export function createHandlers(): Handlers {
  return {
    ...systemHandlers,
    ...authHandlers,
    ...backupHandlers,
    ...equipmentHandlers,
    ...loggingHandlers,
    ...planHandlers,
    ...procedureHandlers,
    ...stockHandlers,
    ...reportHandlers,
  };
}
