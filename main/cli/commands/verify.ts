import { verifyAuditChain } from '../../core/audit';
import { schemaVersion } from '../../core/db/migrate';
import type { Command } from '../command';
import { EXIT } from '../io';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'integrity check of the database and of the audit trail\'s hash chain',
  options: {},
  run({ openCore, io }) {
    const core = openCore();
    try {
      const problems: string[] = [];
      const integrity = core.db.pragma('integrity_check') as { integrity_check: string }[];
      const integrityOk = integrity.length === 1 && integrity[0]?.integrity_check === 'ok';
      if (!integrityOk) problems.push(...integrity.map((r) => `Database integrity: ${r.integrity_check}`));
      const fk = core.db.pragma('foreign_key_check') as unknown[];
      if (fk.length > 0) problems.push(`Database integrity: ${fk.length} row(s) point at records that do not exist.`);
      const chain = verifyAuditChain(core.db);
      if (!chain.ok) problems.push(`Audit trail: ${chain.message}.`);
      io.stdout(`Database: ${core.file}\n`);
      io.stdout(`Schema version: ${schemaVersion(core.db)}\n`);
      io.stdout(`Integrity: ${integrityOk && fk.length === 0 ? 'ok' : 'FAILED'}\n`);
      io.stdout(`Audit trail: ${chain.entries} entries, ${chain.ok ? 'chain intact' : `BROKEN at entry ${chain.seq}`}\n`);
      for (const p of problems) io.stderr(`${p}\n`);
      if (problems.length > 0) return EXIT.input;
      io.stdout('The database is healthy.\n');
      return EXIT.ok;
    } finally {
      core.close();
    }
  },
};
