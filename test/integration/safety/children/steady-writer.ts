/**
 * A second process for the restore test (issue 13, item 4): adds devices straight through the core,
 * one transaction each, for ever, and prints each asset tag only after its commit returned, so every
 * printed tag is a write this process was told was saved. A restore may take its location away
 * under it: the next write makes it again. Usage: node steady-writer.ts DATA_DIR
 */
import { systemActor } from '../../../../main/core/context';
import { inTransaction } from '../../../../main/core/dispatcher/transaction';
import { insertEquipment } from '../../../../main/core/equipment/service';
import { resolveLocationPath } from '../../../../main/core/locations/service';
import { openCore } from '../../../../main/core/open-core';
import { EquipmentFields } from '../../../../shared/domain/equipment';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: steady-writer.ts DATA_DIR');
const core = openCore({ dataDir });
process.stdout.write('ready\n');
for (let i = 1; ; i++) {
  const assetTag = `W-${i}`;
  try {
    inTransaction(core, (writable) => {
      const ward = resolveLocationPath(writable, systemActor, 'Writer ward', { create: true })!;
      insertEquipment(writable, systemActor, EquipmentFields.parse({ assetTag, name: 'Written during a restore', locationId: ward.id }));
    });
    process.stdout.write(`${assetTag}\n`);
  } catch (err) {
    process.stderr.write(`${assetTag}: ${(err as Error).message}\n`);
  }
}
