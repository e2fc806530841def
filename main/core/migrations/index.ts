import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-equipment-search';
import { migration0003 } from './0003-due-list-indexes';
import { migration0004 } from './0004-signature-meanings';
import { migration0005 } from './0005-due-list-targets';
import { migration0006 } from './0006-trust';
import { migration0007 } from './0007-sync';
import { migration0008 } from './0008-repairs';
import { migration0009 } from './0009-ward-due-index';
import { migration0010 } from './0010-sync-repairs';
import { migration0011 } from './0011-records-by-plan-covering';
import { migration0012 } from './0012-key-handover-on-change';
import { migration0013 } from './0013-records-by-day-covering';
import { migration0014 } from './0014-out-of-service-covering';
import { migration0015 } from './0015-stock-replay-points';
import { migration0016 } from './0016-audit-without-hash-index';
import { migration0017 } from './0017-stock-location-indexes-partial';
import { migration0018 } from './0018-first-signed-record-by-plan';
import type { Migration } from './types';

/** Every migration, in order. Add a file per version and list it here. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
];

/** The last migration's version. */
export const LATEST_VERSION = migrations.at(-1)?.version ?? 0;
