import { describe, expect, it } from 'vitest';
import { repairsWorld } from '../repairs/fixture';

type World = Awaited<ReturnType<typeof repairsWorld>>;
const onHand = (w: World) =>
  (w.core.db.prepare('SELECT on_hand FROM stock_levels WHERE stock_location_id = ? AND item_id = ?').get(w.store.id, w.sensor.id) as { on_hand: number }).on_hand;

describe('parts used on a repair', () => {
  it('in two lines for the same item, beyond what is on hand together, are refused whole, naming the second line', async () => {
    const w = await repairsWorld();
    const { workOrder } = await w.as(w.nia)('workOrders.report', { equipmentId: w.pump.id, problem: 'Occlusion alarm', takeOutOfUse: true, secret: '3579' });
    await w.as(w.tom)('workOrders.take', { id: workOrder.id, secret: '1357' });
    const before = ['completions', 'stock_transactions', 'work_order_steps'].map((t) => w.count(t));
    const res = await w.backend.invoke(w.tom, 'workOrders.repair', {
      id: workOrder.id,
      workDone: 'x',
      failureCodeId: w.code('failure', 'Mechanical'),
      causeCodeId: w.code('cause', 'Wear'),
      partsUsed: [
        { stockLocationId: w.store.id, itemId: w.sensor.id, quantity: 2 },
        { stockLocationId: w.store.id, itemId: w.sensor.id, quantity: 1 },
      ],
      secret: '1357',
    });
    // Named as this channel's input names it (the repair dialog shows it beside that part's row).
    expect(res).toMatchObject({ ok: false, error: { field: 'partsUsed.1.quantity' } });
    expect(['completions', 'stock_transactions', 'work_order_steps'].map((t) => w.count(t))).toEqual(before);
    expect(onHand(w)).toBe(2);
  });
});
