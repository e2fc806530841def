import type { stockChannels } from '../../../shared/contract/stock';
import { planStockCheck } from '../../../shared/domain/stock-check';
import type { StockLevelView } from '../../../shared/domain/stock-views';
import { isoInstant } from '../clock';
import type { Core, WriteCore } from '../context';
import { today } from '../plans/service';
import { getSettings } from '../settings/service';
import { stockCheckForm, stockCheckRecord } from './checks';
import {
  stockLocationHead,
  createStockLocation,
  createSupplyItem,
  listSupplyItems,
  removeStockLevel,
  setStockLevel,
  updateStockLocation,
  updateSupplyItem,
} from './catalog';
import { adjustStock, discardStock, levelView, listTransactions, refuse, settleLotsBelowZero, useStock, writeTransactions } from './ledger';
import {
  expiryDocument,
  expiryList,
  exportStockList,
  listStockLocations,
  reorderDocument,
  reorderList,
  stockLocationDetail,
  supplyChoices,
} from './reports';
import type { HandlersFor } from '../dispatcher/handler';

const view = (core: Core, key: { stockLocationId: string; itemId: string }): StockLevelView =>
  levelView(core, key.stockLocationId, key.itemId, today(core));

/**
 * A count or a restock outside a stock check: one line of a check, planned by the same rules;
 * errors name the channel's own fields (`counted`, `expiresOn`).
 */
function singleLine(
  core: WriteCore,
  actor: Parameters<typeof writeTransactions>[1],
  key: { stockLocationId: string; itemId: string },
  line: { counted: number | null; restock: { quantity: number; lot: string | null; expiresOn: string | null }[]; note: string | null },
): StockLevelView {
  const at = isoInstant(core.clock.now());
  const on = today(core);
  stockLocationHead(core, key.stockLocationId, { active: true });
  view(core, key);
  const form = stockCheckForm(core, key.stockLocationId, on);
  const planned = planStockCheck({
    form: { ...form, items: form.items.filter((i) => i.itemId === key.itemId) },
    lines: [{ itemId: key.itemId, counted: line.counted, restock: line.restock, discards: [], note: line.note }],
    on,
    dateFormat: getSettings(core).dateFormat,
    field: (_i, path) => path.replace(/^restock\.0\./, ''),
  });
  if (planned.problems.length > 0) refuse(planned.problems);
  const lines = [{ itemId: key.itemId, counted: line.counted, discards: [] }];
  const txs = settleLotsBelowZero(core, key.stockLocationId, form.items, lines, planned.transactions);
  writeTransactions(core, actor, { stockLocationId: key.stockLocationId, at, completionId: null }, txs);
  return view(core, key);
}

export const stockHandlers: HandlersFor<keyof typeof stockChannels> = {
  'stock.items.list': (_input, { core }) => listSupplyItems(core),
  'stock.items.create': (input, { core, actor }) => createSupplyItem(core, actor, input),
  'stock.items.update': (input, { core, actor }) => updateSupplyItem(core, actor, input),
  'stock.locations.list': (_input, { core }) => listStockLocations(core),
  'stock.locations.get': ({ id }, { core }) => stockLocationDetail(core, id),
  'stock.locations.create': (input, { core, actor }) => createStockLocation(core, actor, input),
  'stock.locations.update': (input, { core, actor }) => updateStockLocation(core, actor, input),
  'stock.levels.set': (input, { core, actor }) => view(core, setStockLevel(core, actor, input)),
  'stock.levels.remove': (input, { core, actor }) => removeStockLevel(core, actor, input),
  'stock.count': ({ counted, note, ...key }, { core, actor }) => singleLine(core, actor, key, { counted, restock: [], note }),
  'stock.restock': ({ quantity, lot, expiresOn, ...key }, { core, actor }) =>
    singleLine(core, actor, key, { counted: null, restock: [{ quantity, lot, expiresOn }], note: null }),
  'stock.use': ({ quantity, lotId, ...key }, { core, actor }) => {
    useStock(core, actor, { at: isoInstant(core.clock.now()), completionId: null }, { ...key, quantity, lotId });
    return view(core, key);
  },
  'stock.discard': (input, { core, actor }) => view(core, discardStock(core, actor, input)),
  'stock.adjust': (input, { core, actor }) => {
    adjustStock(core, actor, input);
    return view(core, input);
  },
  'stock.transactions': (input, { core }) => listTransactions(core, input),
  'stock.checks.get': ({ completionId }, { core }) => stockCheckRecord(core, completionId),
  'stock.supplyChoices': (_input, { core }) => supplyChoices(core),
  'stock.reorderList': (input, { core }) => reorderList(core, input),
  'stock.expiryList': (input, { core }) => expiryList(core, input),
  'stock.reorderDocument': (input, { core, actor }) => reorderDocument(core, actor, input),
  'stock.expiryDocument': (input, { core, actor }) => expiryDocument(core, actor, input),
  'stock.export': (input, { core }) => exportStockList(core, input),
};
