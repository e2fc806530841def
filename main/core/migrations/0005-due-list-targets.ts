import type { Migration } from './types';

/**
 * Today's due list for a whole hospital reads some 13,000 plans; joining each to its device cost
 * a third of the time. Each plan now carries what the due list shows of its target (location, tag,
 * name, risk, and whether it is in service: rule 11), kept current by triggers in the same
 * transaction as every change to the device or stock location, so no code path can leave them
 * stale. `plans_due` covers them, so the list and the counts read one index range and nothing else.
 */
const sql = `
ALTER TABLE plans ADD COLUMN target_in_service INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plans ADD COLUMN target_location_id TEXT;
ALTER TABLE plans ADD COLUMN target_tag TEXT;
ALTER TABLE plans ADD COLUMN target_name TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN target_risk TEXT;

UPDATE plans SET target_in_service = (e.status = 'in_service'), target_location_id = e.location_id,
  target_tag = e.asset_tag, target_name = e.name, target_risk = e.risk
FROM equipment e WHERE e.id = plans.equipment_id;
UPDATE plans SET target_in_service = s.active, target_location_id = s.location_id,
  target_tag = NULL, target_name = s.name, target_risk = NULL
FROM stock_locations s WHERE s.id = plans.stock_location_id;

CREATE TRIGGER plans_target_on_insert AFTER INSERT ON plans BEGIN
  UPDATE plans SET target_in_service = (e.status = 'in_service'), target_location_id = e.location_id,
    target_tag = e.asset_tag, target_name = e.name, target_risk = e.risk
  FROM equipment e WHERE e.id = NEW.equipment_id AND plans.id = NEW.id;
  UPDATE plans SET target_in_service = s.active, target_location_id = s.location_id,
    target_tag = NULL, target_name = s.name, target_risk = NULL
  FROM stock_locations s WHERE s.id = NEW.stock_location_id AND plans.id = NEW.id;
END;

CREATE TRIGGER equipment_target_to_plans AFTER UPDATE OF status, location_id, asset_tag, name, risk ON equipment BEGIN
  UPDATE plans SET target_in_service = (NEW.status = 'in_service'), target_location_id = NEW.location_id,
    target_tag = NEW.asset_tag, target_name = NEW.name, target_risk = NEW.risk
  WHERE equipment_id = NEW.id;
END;

CREATE TRIGGER stock_location_target_to_plans AFTER UPDATE OF active, location_id, name ON stock_locations BEGIN
  UPDATE plans SET target_in_service = NEW.active, target_location_id = NEW.location_id, target_name = NEW.name
  WHERE stock_location_id = NEW.id;
END;

DROP INDEX plans_due;
CREATE INDEX plans_due ON plans (target_in_service, due_from, next_due, window_days, grace_days, task, target_location_id, target_tag, target_name, target_risk, equipment_id, stock_location_id, id) WHERE active = 1;
`;

export const migration0005: Migration = {
  version: 5,
  name: 'due list targets on plans',
  up(db) {
    db.exec(sql);
  },
};
