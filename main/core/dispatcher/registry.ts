import { authHandlers } from '../auth/handlers';
import { backupHandlers } from '../backup/handlers';
import { categoryHandlers } from '../categories/handlers';
import { completionHandlers } from '../completions/handlers';
import { dueHandlers } from '../due/handlers';
import { equipmentHandlers } from '../equipment/handlers';
import { hospitalHandlers } from '../hospital/handlers';
import { locationHandlers } from '../locations/handlers';
import { planHandlers } from '../plans/handlers';
import { printHandlers } from '../print/handlers';
import { procedureHandlers } from '../procedures/handlers';
import { reportHandlers } from '../reports/handlers';
import { settingsHandlers } from '../settings/handlers';
import { stockHandlers } from '../stock/handlers';
import { systemHandlers } from '../system/handlers';
import { userHandlers } from '../users/handlers';
import { workOrderHandlers } from '../repairs/handlers';
import type { Handlers } from './handler';

/** Every feature's handlers: one per contract channel (TypeScript refuses a missing one). */
export function createHandlers(): Handlers {
  return {
    ...systemHandlers,
    ...authHandlers,
    ...userHandlers,
    ...settingsHandlers,
    ...backupHandlers,
    ...equipmentHandlers,
    ...locationHandlers,
    ...categoryHandlers,
    ...completionHandlers,
    ...planHandlers,
    ...dueHandlers,
    ...procedureHandlers,
    ...stockHandlers,
    ...reportHandlers,
    ...printHandlers,
    ...hospitalHandlers,
    ...workOrderHandlers,
  };
}
