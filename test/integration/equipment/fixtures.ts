import { inTransaction } from '../../../main/core/dispatcher/transaction';
import { readFileSync } from 'node:fs';
import type { Core } from '../../../main/core/context';
import { testActor } from '../../helpers/core';
import { commitEquipmentImport } from '../../../main/core/equipment/import/service';

export const EWH_PATH = new URL('../../fixtures/ewh-hospital-inventory.csv', import.meta.url);
export const ewhBytes = () => new Uint8Array(readFileSync(EWH_PATH));

export const count = (core: Core, table: string): number =>
  (core.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Every table an import may write, with its row count: "nothing written" means none moved. */
export function snapshot(core: Core): Record<string, number> {
  return Object.fromEntries(['equipment', 'locations', 'categories', 'audit_log', 'equipment_search'].map((t) => [t, count(core, t)]));
}

/** Imports CSV text as the test actor. */
export function importText(core: Core, text: string, options: { generateTagsPrefix?: string } = {}) {
  return inTransaction(core, (core) => commitEquipmentImport(core, testActor, { source: { text }, generateTagsPrefix: options.generateTagsPrefix ?? null }));
}

export const SAMPLE = [
  'asset_tag,name,location,category,manufacturer,model,serial,risk,ownership,status,acquired_on,in_service_on,warranty_until,reference_standard,notes',
  'IP-0001,Infusion pump,General Hospital > Ward 4B > Bay 1,Infusion pump,Baxter,Sigma Spectrum,SN-1,high,owned,in_service,2020-01-15,2020-02-01,2025-01-31,no,',
  'DF-0002,Defibrillator,General Hospital > Ward 4B,Defibrillator,Zoll,R Series,ZR-77,high,leased,out_of_service,,,,no,"Paddles cracked, sent to ""Zoll"" for repair\nCall before use"',
  'AN-0003,Electrical safety analyser,General Hospital > Workshop,Test equipment,Fluke,ESA615,F-9,low,owned,in_service,2019-06-01,,,yes,Reference for safety tests',
  'SC-0004,Patient scale,Clinic Nord,,Seca,,,,demo,missing,,,,no,',
].join('\r\n');
