import { useState } from 'react';
import { z } from 'zod';
import type { SupplyUse } from '../../../../shared/domain/stock';
import type { WorkOrderView } from '../../../../shared/domain/work-order';
import { RepairWorkOrder, RetireWorkOrder, ReturnWorkOrder, TakeWorkOrder, WaitWorkOrder, WAITING_FOR, WAITING_FOR_LABELS } from '../../../../shared/domain/work-order';
import { FormField, useFormValues } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { SuppliesUsedField } from '../../components/SuppliesUsedField';
import { fieldErrors } from '../../lib/form-errors';
import { numberText, then, useKitForm } from '../../lib/form';
import { useChannelMutation, useChannelQuery } from '../../lib/query';

export type StepKind = 'take' | 'wait' | 'resume' | 'repair' | 'return' | 'retire';

function Secret() {
  const { register } = useFormValues<{ secret: string }>();
  return (
    <FormField name="secret" label="Your PIN or password" required help="Each step is signed with your name.">
      {(p) => <input {...p} {...register('secret')} className="pin-input" type="password" autoComplete="current-password" />}
    </FormField>
  );
}

function TextField({ name, label, required, help, autofocus }: { name: string; label: string; required?: boolean; help?: string; autofocus?: boolean }) {
  const { register } = useFormValues<Record<string, string>>();
  return (
    <FormField name={name} label={label} {...(required ? { required } : {})} {...(help ? { help } : {})}>
      {(p) => <input {...p} {...register(name)} type="text" {...(autofocus ? { 'data-autofocus': true } : {})} />}
    </FormField>
  );
}

const SIMPLE: Record<'take' | 'resume' | 'return', { title: string; submit: string; help: string }> = {
  take: { title: 'Take', submit: 'Take it', help: 'It becomes yours, in progress.' },
  resume: { title: 'Resume', submit: 'Resume the work', help: 'The parts or the vendor are here.' },
  return: { title: 'Return to service', submit: 'Return to service', help: 'Only once every post-repair check has passed, signed.' },
};

/** Take, resume or return: a note and the signer's PIN. */
function SimpleStep({ wo, kind, onDone, onClose }: { wo: WorkOrderView; kind: 'take' | 'resume' | 'return'; onDone: (v: WorkOrderView) => void; onClose: () => void }) {
  const schema = (kind === 'return' ? ReturnWorkOrder : TakeWorkOrder).omit({ id: true });
  const form = useKitForm<{ note: string; secret: string }, z.output<typeof schema>>({ defaultValues: { note: '', secret: '' }, schema });
  const run = useChannelMutation(`workOrders.${kind}`);
  const text = SIMPLE[kind];
  // Whose it was when this opened: a take on top of a colleague's take meanwhile is refused.
  const [expectedAssigneeId] = useState(wo.assignedUserId);
  return (
    <FormDialog
      title={`${text.title}: ${wo.ref} ${wo.equipment.assetTag}`}
      form={form}
      submitLabel={text.submit}
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await run.run(kind === 'take' ? { ...v, id: wo.id, expectedAssigneeId } : { ...v, id: wo.id });
        form.setValue('secret', '');
        if (res.ok) onDone(res.value);
        return res;
      }}
    >
      <p className="muted">{kind === 'take' && wo.assignedName ? `It is with ${wo.assignedName} now. ${text.help}` : text.help}</p>
      <TextField name="note" label="Note" autofocus />
      <Secret />
    </FormDialog>
  );
}

function WaitStep({ wo, onDone, onClose }: { wo: WorkOrderView; onDone: (v: WorkOrderView) => void; onClose: () => void }) {
  const schema = WaitWorkOrder.omit({ id: true });
  const form = useKitForm<{ waitingFor: 'parts' | 'vendor'; note: string; vendor: string; vendorTicket: string; secret: string }, z.output<typeof schema>>({
    defaultValues: { waitingFor: 'parts', note: '', vendor: wo.vendor ?? '', vendorTicket: wo.vendorTicket ?? '', secret: '' },
    schema,
  });
  const run = useChannelMutation('workOrders.wait');
  const { register } = form;
  return (
    <FormDialog
      title={`Waiting: ${wo.ref} ${wo.equipment.assetTag}`}
      form={form}
      submitLabel="Put it to wait"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await run.run({ ...v, id: wo.id });
        form.setValue('secret', '');
        if (res.ok) onDone(res.value);
        return res;
      }}
    >
      <FormField name="waitingFor" label="Waiting" required>
        {(p) => (
          <select {...p} {...register('waitingFor')} data-autofocus>
            {WAITING_FOR.map((w) => (
              <option key={w} value={w}>
                {WAITING_FOR_LABELS[w]}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <TextField name="note" label="What for" required help="The part ordered, or what the vendor is to do." />
      <TextField name="vendor" label="Vendor" />
      <TextField name="vendorTicket" label="Vendor's ticket number" />
      <Secret />
    </FormDialog>
  );
}

const repairSchema = RepairWorkOrder.omit({ id: true, partsUsed: true }).extend({
  labourMinutes: then(numberText(), RepairWorkOrder.shape.labourMinutes),
  cost: then(numberText(), RepairWorkOrder.shape.cost),
});
interface RepairValues {
  workDone: string;
  failureCodeId: string;
  causeCodeId: string;
  labourMinutes: string;
  cost: string;
  vendor: string;
  vendorTicket: string;
  secret: string;
  /** Never typed here (the rows are SuppliesUsedField's): named so a refusal of a part is placed beside it. */
  partsUsed?: { stockLocationId?: string; itemId?: string; quantity?: string }[];
}

type PartPath = `partsUsed.${number}.${'stockLocationId' | 'itemId' | 'quantity'}`;

/** Main's name for a part's field (`partsUsed.1.quantity`), as the dialog's row shows it: a lot's problem is shown at the quantity. */
function partPath(field: string): PartPath | null {
  const m = /^partsUsed\.(\d+)\.(stockLocationId|itemId|quantity|lotId)$/.exec(field);
  if (!m) return null;
  const leaf = m[2] === 'stockLocationId' ? 'stockLocationId' : m[2] === 'itemId' ? 'itemId' : 'quantity';
  return `partsUsed.${Number(m[1])}.${leaf}`;
}
const partField = (field: string): string => partPath(field) ?? field;

/** The repair: work done, codes, labour, parts from stock (lots and all), vendor and cost; a signed repair record. */
function RepairStep({ wo, onDone, onClose }: { wo: WorkOrderView; onDone: (v: WorkOrderView) => void; onClose: () => void }) {
  const codes = useChannelQuery('workOrders.codes', {});
  const form = useKitForm<RepairValues, z.output<typeof repairSchema>>({
    defaultValues: { workDone: '', failureCodeId: '', causeCodeId: '', labourMinutes: '', cost: '', vendor: wo.vendor ?? '', vendorTicket: wo.vendorTicket ?? '', secret: '' },
    schema: repairSchema,
  });
  const [uses, setUses] = useState<SupplyUse[]>([]);
  const [serverErrors, setServerErrors] = useState<Record<string, string | undefined>>({});
  const run = useChannelMutation('workOrders.repair');
  const { register } = form;
  const choices = (kind: 'failure' | 'cause') => (codes.data ?? []).filter((c) => c.kind === kind && c.active);
  return (
    <FormDialog
      wide
      title={`Log the repair: ${wo.ref} ${wo.equipment.assetTag}`}
      form={form}
      submitLabel="Log the repair"
      onClose={onClose}
      fieldOf={partField}
      onSubmit={async (v) => {
        const res = await run.run({ ...v, id: wo.id, partsUsed: uses });
        form.setValue('secret', '');
        const byField = res.ok ? {} : fieldErrors(res.error).byField;
        setServerErrors(byField);
        // A part's problem ("Only 1 piece … is on hand") is shown beside its row and linked from the
        // summary: the rows are not the kit's own fields, so their names are made known to it.
        for (const f of Object.keys(byField)) {
          const path = partPath(f);
          if (path) form.register(path);
        }
        if (res.ok) onDone(res.value);
        return res;
      }}
    >
      <TextField name="workDone" label="Work done" required autofocus />
      <div className="form-row">
        {(['failure', 'cause'] as const).map((kind) => (
          <FormField key={kind} name={`${kind}CodeId`} label={kind === 'failure' ? 'Failure code' : 'Cause code'} required>
            {(p) => (
              <select {...p} {...register(`${kind}CodeId`)}>
                <option value="">Choose…</option>
                {choices(kind).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        ))}
        <FormField name="labourMinutes" label="Labour (minutes)">
          {(p) => <input {...p} {...register('labourMinutes')} type="text" inputMode="numeric" className="short" />}
        </FormField>
        <FormField name="cost" label="Cost">
          {(p) => <input {...p} {...register('cost')} type="text" inputMode="decimal" className="short" />}
        </FormField>
      </div>
      <div className="form-row">
        <TextField name="vendor" label="Vendor" />
        <TextField name="vendorTicket" label="Vendor's ticket number" />
      </div>
      <SuppliesUsedField value={uses} onChange={setUses} equipmentId={wo.equipment.id} errors={serverErrors} fieldPrefix="partsUsed" />
      <Secret />
    </FormDialog>
  );
}

function RetireStep({ wo, onDone, onClose }: { wo: WorkOrderView; onDone: (v: WorkOrderView) => void; onClose: () => void }) {
  const schema = RetireWorkOrder.omit({ id: true });
  const form = useKitForm<{ reason: string; secret: string }, z.output<typeof schema>>({ defaultValues: { reason: '', secret: '' }, schema });
  const run = useChannelMutation('workOrders.retire');
  return (
    <FormDialog
      title={`Beyond repair: retire ${wo.equipment.assetTag}`}
      form={form}
      submitLabel="Retire the device"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await run.run({ ...v, id: wo.id });
        form.setValue('secret', '');
        if (res.ok) onDone(res.value);
        return res;
      }}
    >
      <p>The work order closes and {wo.equipment.assetTag} is retired; its history stays.</p>
      <TextField name="reason" label="Why it cannot be repaired" required autofocus />
      <Secret />
    </FormDialog>
  );
}

export function StepDialog({ wo, kind, onDone, onClose }: { wo: WorkOrderView; kind: StepKind; onDone: (v: WorkOrderView) => void; onClose: () => void }) {
  if (kind === 'wait') return <WaitStep wo={wo} onDone={onDone} onClose={onClose} />;
  if (kind === 'repair') return <RepairStep wo={wo} onDone={onDone} onClose={onClose} />;
  if (kind === 'retire') return <RetireStep wo={wo} onDone={onDone} onClose={onClose} />;
  return <SimpleStep wo={wo} kind={kind} onDone={onDone} onClose={onClose} />;
}
