import { useEffect, useId, useRef, useState } from 'react';
import { z } from 'zod';
import type { HubPeek, SyncStatusView } from '../../../../shared/contract/sync';
import { EnrolCode, HubAddress } from '../../../../shared/contract/sync';
import { plural } from '../../../../shared/labels';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { useKitForm } from '../../lib/form';
import { useChannelMutation } from '../../lib/query';
import { useDates } from '../../lib/settings';
import { useSyncStatus } from '../../lib/sync-status';
import { joinLine, joinPercent } from '../../lib/sync-words';

const addressSchema = z.object({ hub: HubAddress });
const joinSchema = z.object({
  code: EnrolCode,
  fingerprintChecked: z.boolean().refine((v) => v, {
    message: 'is needed: compare the fingerprint with the one the hub printed, then tick the box',
  }),
});

/** Step 1: the address. The app connects and shows the certificate, trusting nothing and sending no data. */
function AddressForm({ onPeeked }: { onPeeked: (p: HubPeek) => void }) {
  const peek = useChannelMutation('sync.peek');
  const form = useKitForm<{ hub: string }, { hub: string }>({ defaultValues: { hub: '' }, schema: addressSchema });
  return (
    <KitForm
      form={form}
      label="The hub's address"
      onSubmit={async (v) => {
        const res = await peek.run({ hub: v.hub });
        if (res.ok) onPeeked(res.value);
        return res;
      }}
    >
      <FormField name="hub" label="Hub address" help="As the hub's administrator gave it, for example https://hub.hospital.local:8443">
        {(p) => <input {...p} {...form.register('hub')} type="text" inputMode="url" autoComplete="off" spellCheck={false} />}
      </FormField>
      <FormActions>
        <SubmitButton busyLabel="Connecting…">Connect</SubmitButton>
      </FormActions>
    </KitForm>
  );
}

/** Step 2: compare the fingerprint, type the one-time code, join. */
function JoinForm({ peeked, onBack }: { peeked: HubPeek; onBack: () => void }) {
  const join = useChannelMutation('sync.join');
  const form = useKitForm<{ code: string; fingerprintChecked: boolean }, z.infer<typeof joinSchema>>({
    defaultValues: { code: '', fingerprintChecked: false },
    schema: joinSchema,
  });
  const fpId = useId();
  // The address form is gone: the focus moves to what must be read next, the fingerprint (Tab then reaches the box).
  const fpRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => fpRef.current?.focus(), []);
  return (
    <KitForm
      form={form}
      label="Join the hub"
      fieldOf={(f) => (f === 'code' || f === 'fingerprintChecked' ? f : null)}
      onSubmit={(v) => join.run({ hub: peeked.hub, code: v.code, fingerprint: peeked.fingerprint, fingerprintChecked: true })}
    >
      <div>
        <p>
          The server at <span className="mono">{peeked.hub}</span> shows a certificate with this fingerprint (SHA-256):
        </p>
        <p className="fingerprint" id={fpId} data-testid="hub-fingerprint" ref={fpRef} tabIndex={-1}>
          {peeked.fingerprint}
        </p>
        <p className="small muted">
          The hub printed its fingerprint when it first started (and prints it at every start). If the two differ, do not join: something
          between this PC and the hub may be pretending to be it. Ask the hub&apos;s administrator.
        </p>
      </div>
      <FormField name="fingerprintChecked" label="Fingerprint">
        {(p) => (
          <label className="checkbox-label">
            <input
              {...p}
              {...form.register('fingerprintChecked')}
              type="checkbox"
              aria-describedby={`${p['aria-describedby'] ?? ''} ${fpId}`.trim()}
            />{' '}
            It is the same as the one the hub printed
          </label>
        )}
      </FormField>
      <FormField
        name="code"
        label="One-time code"
        help="From the hub's administrator (wardkeep hub enrol-code); each code joins one PC within 24 hours."
      >
        {(p) => (
          <input
            {...p}
            {...form.register('code')}
            type="text"
            autoComplete="off"
            spellCheck={false}
            className="mono"
            placeholder="XXXX-XXXX-XXXX-XXXX"
          />
        )}
      </FormField>
      <FormActions>
        <SubmitButton busyLabel="Joining…">Join the hub</SubmitButton>
        <button type="button" onClick={onBack}>
          Another address
        </button>
      </FormActions>
    </KitForm>
  );
}

/** The download of the hospital, and when it cannot go on (the hub out of reach, a failure), why. */
function Joining({ status }: { status: SyncStatusView }) {
  const dates = useDates();
  const j = status.join;
  const stuck = status.state === 'offline' || status.state === 'error';
  return (
    <div className="join-progress" data-testid="join-progress">
      <progress max={100} value={j ? joinPercent(j) : 0} aria-label="Download of the hospital" />
      <p role="status">{stuck ? (j ? `Stopped at ${joinPercent(j)}%: the download resumes where it stopped.` : 'The download of the hospital has not started.') : joinLine(j)}</p>
      {stuck ? (
        <Banner kind={status.state === 'offline' ? 'warn' : 'error'}>
          <strong>{status.state === 'offline' ? 'This PC cannot reach the hub.' : 'The download of the hospital failed.'}</strong>{' '}
          {status.lastError ? dates.text(status.lastError) : null} It tries again every few seconds; Wardkeep works on its own meanwhile.
        </Banner>
      ) : (
        <p className="small muted">Wardkeep stays usable meanwhile; this PC&apos;s own work is sent as soon as the download is done.</p>
      )}
    </div>
  );
}

function Joined({ status, onLeft }: { status: SyncStatusView; onLeft: () => void }) {
  const dates = useDates();
  const [leaving, setLeaving] = useState(false);
  const leave = useChannelMutation('sync.leave');
  return (
    <>
      {status.state === 'revoked' ? (
        <Banner kind="error">
          {/* The hub's sentence says when, and that the PC keeps its data: one instruction follows. */}
          <strong>The hub has removed this PC.</strong> {status.lastError ? dates.text(status.lastError) : 'It keeps its data but no longer syncs.'}{' '}
          To join again, leave the hub here, then join with a new code from the hub&apos;s administrator.
        </Banner>
      ) : status.joined && (status.state === 'offline' || status.state === 'error') && status.lastError ? (
        <Banner kind={status.state === 'offline' ? 'warn' : 'error'}>{dates.text(status.lastError)}</Banner>
      ) : null}
      <dl className="facts">
        <dt>Hub</dt>
        <dd className="mono">{status.hub}</dd>
        <dt>This PC at the hub</dt>
        <dd>{status.pcName ?? '—'}</dd>
        <dt>Certificate (pinned)</dt>
        <dd className="mono small">{status.hubFingerprint}</dd>
        <dt>Last successful sync</dt>
        <dd>{status.lastSyncAt ? dates.dateTime(status.lastSyncAt) : 'not yet'}</dd>
      </dl>
      {!status.joined && status.state !== 'revoked' ? <Joining status={status} /> : null}
      <FormActions>
        <button type="button" onClick={() => setLeaving(true)}>
          Leave the hub…
        </button>
      </FormActions>
      {leaving ? (
        <ConfirmDialog
          title="Leave the hospital's hub?"
          confirmLabel="Leave the hub"
          danger
          onConfirm={() => leave.run({ confirm: true })}
          onDone={() => {
            setLeaving(false);
            onLeft();
          }}
          onClose={() => setLeaving(false)}
        >
          <p>This PC stops syncing. It keeps all its data and works on its own, as a PC that never joined.</p>
          {status.pendingOut > 0 ? (
            <p>
              <strong>
                {plural(status.pendingOut, 'change')} made here {status.pendingOut === 1 ? 'has' : 'have'} not reached the hub
              </strong>{' '}
              and will not, unless this PC joins again.
            </p>
          ) : null}
          {status.state === 'revoked' ? (
            <p>Joining again later takes a new code from the hub&apos;s administrator.</p>
          ) : (
            // docs/sync.md "Leaving": the hub still holds this PC as enrolled, and refuses a new code for it until it is revoked.
            <p>
              Joining again later takes a new code, once an administrator has revoked this PC at the hub (
              <span className="mono">wardkeep hub revoke --pc &quot;{status.pcName ?? 'its name'}&quot;</span>): until then the hub refuses
              the code.
            </p>
          )}
        </ConfirmDialog>
      ) : null}
    </>
  );
}

/** Settings → Hospital hub (administrators): join with an address and a one-time code, watch the download, leave or re-join. */
export function HubSection() {
  const status = useSyncStatus();
  const [peeked, setPeeked] = useState<HubPeek | null>(null);
  // Kept here, not in Joined: the status turning to "in no hub" replaces Joined, and the word that leaving worked must stay.
  const [left, setLeft] = useState(false);
  const s = status.data;
  const peek = (p: HubPeek | null) => {
    setLeft(false);
    setPeeked(p);
  };
  return (
    <section className="panel stack" aria-labelledby="hub-title">
      <h2 id="hub-title">Hospital hub</h2>
      <ErrorBanner error={status.error} />
      {left ? <Banner kind="ok">This PC has left the hub. It keeps all its data and works on its own.</Banner> : null}
      {!s ? null : s.state === 'not_enrolled' ? (
        <>
          <p>
            On its own, this PC holds only the work done on it. Joined to the hospital&apos;s hub, it syncs with every other ward PC: a
            device tagged out anywhere is DO NOT USE here too, and users can sign in on any PC.
          </p>
          {peeked ? <JoinForm peeked={peeked} onBack={() => peek(null)} /> : <AddressForm onPeeked={peek} />}
        </>
      ) : (
        <Joined status={s} onLeft={() => setLeft(true)} />
      )}
    </section>
  );
}
