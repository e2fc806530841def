import type { AppHealth, appChannels } from '../../../shared/contract/app';
import { shortHead } from '../anchors/chain';
import { localDate } from '../clock';
import { schemaVersion } from '../db/migrate';
import { startupHealth } from './startup-checks';
import type { HandlersFor } from '../dispatcher/handler';

declare const __APP_VERSION__: string | undefined;

export const systemHandlers: HandlersFor<keyof typeof appChannels> = {
  'app.health': (_input, { core }) => {
    const { auditChain: c, anchors: a, integrity: i, stock } = startupHealth(core);
    const anchors: AppHealth['anchors'] =
      a === 'checking' ? { state: 'checking' } : a.ok ? { state: 'ok', head: a.head ? shortHead(a.head) : null } : { state: 'disagree', message: a.findings.join(' ') };
    const integrity: AppHealth['integrity'] = i.state === 'damaged' ? { state: 'damaged', message: i.report.problems.join(' ') } : i;
    if (c === 'checking') return { auditChain: { state: 'checking' }, anchors, integrity, stock };
    return {
      auditChain: c.ok ? { state: 'ok', entries: c.entries } : { state: 'broken', entries: c.entries, seq: c.seq, message: c.message },
      anchors,
      integrity,
      stock,
    };
  },
  'app.info': (_input, { core }) => ({
    version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : (process.env.npm_package_version ?? 'dev'),
    dataDir: core.dataDir,
    pcId: core.pcId,
    schemaVersion: schemaVersion(core.db),
    today: localDate(core.clock.now()),
  }),
};
