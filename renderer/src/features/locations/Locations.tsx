import { useQueryClient } from '@tanstack/react-query';
import type { RefObject } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { z } from 'zod';
import type { Location, LocationTreeNode } from '../../../../shared/domain/location';
import { LocationFields, LocationRename } from '../../../../shared/domain/location';
import { Banner, ErrorBanner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { FormActions, FormField, KitForm, SubmitButton } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { LocationTree } from '../../components/LocationTree';
import { takeValuesSavedMeanwhile, then, useKitForm } from '../../lib/form';
import { channelQuery, useChannelMutation, useChannelQuery } from '../../lib/query';
import { Link } from '../../lib/router';
import { can, useSession } from '../../lib/session';

const KIND_LABEL = { site: 'Site', ward: 'Department / ward', room: 'Room' } as const;
const CHILD_KIND = { site: 'a ward', ward: 'a room', room: null } as const;

function findNode(nodes: LocationTreeNode[], id: string | null): LocationTreeNode | null {
  if (!id) return null;
  for (const n of nodes) {
    if (n.id === id) return n;
    const inside = findNode(n.children, id);
    if (inside) return inside;
  }
  return null;
}

/** How many levels a location's branch spans below it (0 for a room or an empty ward). */
function depthBelow(node: LocationTreeNode): number {
  return node.children.reduce((d, c) => Math.max(d, 1 + depthBelow(c)), 0);
}

/** Every place whose name prints like another's beside it, in the tree's order. */
function printingAlike(nodes: LocationTreeNode[]): LocationTreeNode[] {
  return nodes.flatMap((n) => [...(n.printsLike ? [n] : []), ...printingAlike(n.children)]);
}

function subtreeIds(node: LocationTreeNode): Set<string> {
  const out = new Set<string>([node.id]);
  for (const c of node.children) for (const id of subtreeIds(c)) out.add(id);
  return out;
}

const blankToNull = z.string().transform((v) => (v === '' ? null : v));
const addSchema = LocationFields.extend({ parentId: then(blankToNull, LocationFields.shape.parentId) });

function AddLocation({
  list,
  parentId,
  onAdded,
  nameRef,
}: {
  list: Location[];
  /** The parent chosen on the tree ("Add a ward here"), put into the form. */
  parentId: { id: string; at: number };
  onAdded: (l: Location) => void;
  nameRef: RefObject<HTMLInputElement | null>;
}) {
  const form = useKitForm({ defaultValues: { name: '', parentId: parentId.id }, schema: addSchema });
  const create = useChannelMutation('locations.create');
  const [added, setAdded] = useState<string | null>(null);
  const { setValue } = form;
  useEffect(() => {
    if (parentId.at > 0) setValue('parentId', parentId.id);
  }, [parentId, setValue]);
  const { ref: registerRef, ...nameField } = form.register('name');
  const offered = list.filter((l) => l.kind !== 'room');
  // Paths as last seen: a place chosen here and then taken off the lists (or made a room) in another
  // window or on another PC stays in the box by its name, as the form still holds it, rather than
  // the box showing "(a new site)" beside a refusal about a place it does not show.
  const [seen, setSeen] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => setSeen((m) => (list.every((l) => m.get(l.id) === l.path) ? m : new Map([...m, ...list.map((l) => [l.id, l.path] as const)]))), [list]);
  const chosen = form.watch('parentId');
  const gone = chosen && !offered.some((l) => l.id === chosen) ? chosen : null;
  // The box shows what the form holds (a browser moves a box off an option that goes).
  useEffect(() => {
    if (gone) setValue('parentId', gone);
  }, [gone, setValue]);
  return (
    <KitForm
      form={form}
      className="panel stack"
      label="Add a location"
      onSubmit={async (v) => {
        setAdded(null);
        const res = await create.run(v);
        if (res.ok) {
          setAdded(res.value.path);
          form.reset({ name: '', parentId: v.parentId ?? '' });
          onAdded(res.value);
        }
        return res;
      }}
    >
      <h2>Add a location</h2>
      {added ? (
        <p role="status" className="banner ok">
          Added {added}.
        </p>
      ) : null}
      <div className="grid-2">
        <FormField name="parentId" label="Inside" help="Leave as “a new site” for a hospital or clinic; choose a site for a ward, a ward for a room.">
          {(p) => (
            <select {...p} {...form.register('parentId')}>
              <option value="">(a new site)</option>
              {gone ? <option value={gone}>{`${seen.get(gone) ?? 'The place chosen'} (no longer offered here: choose another)`}</option> : null}
              {offered.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField name="name" label="Name" required>
          {(p) => (
            <input
              {...p}
              {...nameField}
              ref={(el) => {
                registerRef(el);
                nameRef.current = el;
              }}
              type="text"
            />
          )}
        </FormField>
      </div>
      <FormActions>
        <SubmitButton busyLabel="Adding…">Add location</SubmitButton>
      </FormActions>
    </KitForm>
  );
}

/**
 * The rename dialog. It sends the name it opened with: when another supervisor renamed the place
 * since (another window, or another PC through the hub), main refuses the rename in a sentence
 * saying so, never made over their name unseen; the box then takes their name if nothing was typed
 * in it, and the next press renames.
 */
function RenameDialog({ node, onClose, onDone }: { node: LocationTreeNode; onClose: () => void; onDone: (message: string) => void }) {
  const form = useKitForm({ defaultValues: { name: node.name }, schema: LocationRename.pick({ name: true }) });
  const rename = useChannelMutation('locations.rename');
  const queryClient = useQueryClient();
  // The name as the dialog opened (the tree behind it is read again when anything changes).
  const [opened, setOpened] = useState(node.name);
  return (
    <FormDialog
      title={`Rename ${node.name}`}
      form={form}
      submitLabel="Rename"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await rename.run({ id: node.id, name: v.name, expected: { name: opened } });
        if (res.ok) onDone(`Renamed to ${res.value.path}. Its devices stay where they are.`);
        else if (res.error.code === 'conflict') {
          // Renamed by someone else meanwhile (main refused it in words): the box takes their name if
          // nothing was typed in it, and the next press renames what it is now called.
          const now = (await queryClient.fetchQuery({ ...channelQuery('locations.list', {}), staleTime: 0 }).catch(() => undefined))?.find((l) => l.id === node.id);
          if (now && now.name !== opened) {
            takeValuesSavedMeanwhile(form, { name: opened }, { name: now.name });
            setOpened(now.name);
          }
        }
        return res;
      }}
    >
      <FormField name="name" label="New name" required help="Renaming moves nothing: the devices inside keep their place.">
        {(p) => <input {...p} {...form.register('name')} type="text" data-autofocus />}
      </FormField>
    </FormDialog>
  );
}

function MoveDialog({ node, list, tree, onClose, onDone }: { node: LocationTreeNode; list: Location[]; tree: LocationTreeNode[]; onClose: () => void; onDone: (message: string) => void }) {
  const inside = subtreeIds(node);
  const below = depthBelow(node);
  const depth = (l: Location) => ({ site: 1, ward: 2, room: 3 })[l.kind];
  // Where it may go: not into itself, and not so deep that its rooms would hold rooms.
  const targets = list.filter((l) => !inside.has(l.id) && depth(l) + 1 + below <= 3 && l.id !== node.parentId);
  const form = useKitForm({ defaultValues: { parentId: node.parentId === null ? (targets[0]?.id ?? '') : '' } });
  const move = useChannelMutation('locations.move');
  const parent = findNode(tree, node.parentId);
  const textId = useId();
  // A site with nowhere to go: no other site (or it holds rooms, which a ward cannot). Said, and Move
  // is not offered, rather than a "Moved" for a move to where it already is.
  if (node.parentId === null && targets.length === 0) {
    return (
      <Dialog title={`Move ${node.name}`} onClose={onClose} describedBy={textId}>
        <div className="stack">
          <p id={textId}>
            There is nowhere to move {node.name}:{' '}
            {below >= 2
              ? 'it holds rooms, and locations go only three levels deep (site, ward, room), so it stays a site.'
              : 'there is no other site to put it in. Add another site first to move it into that one.'}
          </p>
          <div className="form-actions dialog-actions">
            <button type="button" className="primary" disabled>
              Move
            </button>
            <button type="button" onClick={onClose} data-autofocus>
              Cancel
            </button>
          </div>
        </div>
      </Dialog>
    );
  }
  return (
    <FormDialog
      title={`Move ${node.name}`}
      form={form}
      submitLabel="Move"
      onClose={onClose}
      onSubmit={async (v) => {
        const res = await move.run({ id: node.id, parentId: v.parentId || null });
        if (res.ok) onDone(`Moved: it is now ${res.value.path}.`);
        return res;
      }}
    >
      <p>Now {parent ? `inside ${parent.path}` : 'a site of its own'}. Everything inside it moves with it.</p>
      <FormField name="parentId" label="Move into" required>
        {(p) => (
          <select {...p} {...form.register('parentId')} data-autofocus>
            {node.parentId !== null && below <= 2 ? <option value="">(the top: make it a site)</option> : null}
            {targets.map((l) => (
              <option key={l.id} value={l.id}>
                {l.path}
              </option>
            ))}
          </select>
        )}
      </FormField>
    </FormDialog>
  );
}

type Open = 'rename' | 'move' | 'deactivate' | null;

/** Sites › departments/wards › rooms: the tree, and (for supervisors) add, rename, move, deactivate. */
export function Locations() {
  const { user } = useSession();
  const mayEdit = can(user, 'supervisor');
  const tree = useChannelQuery('locations.tree', {});
  const locations = useChannelQuery('locations.list', {});
  const deactivate = useChannelMutation('locations.deactivate');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [parentId, setParentId] = useState({ id: '', at: 0 });
  const [open, setOpen] = useState<Open>(null);
  const [message, setMessage] = useState<{ text: string; focus: boolean } | null>(null);
  const addRef = useRef<HTMLDivElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const nodes = tree.data ?? [];
  const list = locations.data ?? [];
  const selected = findNode(nodes, selectedId);
  const alike = printingAlike(nodes);

  /** `focus`: the button that opened the dialog is gone (the location left the lists), so the focus goes to the notice, not to the document's body. */
  const done = (text: string, focus = false) => {
    setOpen(null);
    setMessage({ text, focus });
  };
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message?.focus) noticeRef.current?.focus();
  }, [message]);

  return (
    <>
      <div className="page-head">
        <h1>Locations</h1>
      </div>
      <ErrorBanner error={tree.error ?? locations.error} />
      {message ? (
        <div ref={noticeRef} tabIndex={-1} data-testid="locations-notice">
          <Banner kind="ok">{message.text}</Banner>
        </div>
      ) : null}
      {alike.length > 0 ? (
        <section className="banner warn prints-alike" aria-labelledby="loc-alike-title" data-testid="locations-alike">
          <h2 id="loc-alike-title">
            Places whose names print alike
          </h2>
          <p>
            Due lists, filters and stickers name a place by its path, so these cannot be told apart on paper.{' '}
            {mayEdit ? 'Choose one to see which characters differ, then rename one of them.' : 'Choose one to see which characters differ, and ask a supervisor to rename one of them.'}
          </p>
          <ul>
            {alike.map((n) => (
              <li key={n.id}>
                <button type="button" className="link-button" onClick={() => setSelectedId(n.id)} aria-pressed={n.id === selectedId}>
                  {n.path}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="locations-layout">
        <section className="panel tree-panel" aria-labelledby="loc-tree-title">
          <h2 id="loc-tree-title" className="panel-title">
            All locations
          </h2>
          {nodes.length > 0 ? (
            <LocationTree nodes={nodes} selectedId={selectedId} onSelect={setSelectedId} label="Locations" />
          ) : tree.data ? (
            <p className="empty">No locations yet.{mayEdit ? ' Add a site first: the hospital or clinic.' : ''}</p>
          ) : null}
        </section>
        <div className="stack">
          <section className="panel" aria-labelledby="loc-selected-title">
            {selected ? (
              <>
                <h2 id="loc-selected-title">{selected.name}</h2>
                {selected.printsLike ? (
                  <p className="warn-text" data-testid="prints-like">
                    {selected.printsLike}
                  </p>
                ) : null}
                <dl className="fact-grid">
                  <div className="fact span-4">
                    <dt>Full path</dt>
                    <dd>{selected.path}</dd>
                  </div>
                  <div className="fact">
                    <dt>Kind</dt>
                    <dd>{KIND_LABEL[selected.kind]}</dd>
                  </div>
                  <div className="fact span-2">
                    <dt>Devices</dt>
                    <dd>
                      {selected.totalCount}
                      {selected.children.length > 0 && selected.totalCount > 0 ? ` (${selected.equipmentCount} here, the rest inside)` : ''}{' '}
                      {selected.totalCount > 0 ? <Link to={`/equipment?location=${selected.id}`}>Show them</Link> : null}
                    </dd>
                  </div>
                </dl>
                {mayEdit ? (
                  <div className="form-actions selected-actions">
                    {CHILD_KIND[selected.kind] ? (
                      <button
                        type="button"
                        onClick={() => {
                          setParentId((p) => ({ id: selected.id, at: p.at + 1 }));
                          addRef.current?.scrollIntoView({ block: 'nearest' });
                          nameRef.current?.focus();
                        }}
                      >
                        Add {CHILD_KIND[selected.kind]} here
                      </button>
                    ) : null}
                    <button type="button" onClick={() => setOpen('rename')}>
                      Rename…
                    </button>
                    <button type="button" onClick={() => setOpen('move')}>
                      Move…
                    </button>
                    <button type="button" onClick={() => setOpen('deactivate')}>
                      Deactivate…
                    </button>
                  </div>
                ) : null}
              </>
            ) : (
              <>
                <h2 id="loc-selected-title">Choose a location</h2>
                <p className="muted">
                  Choose a location in the tree (arrow keys, then Enter) to see it{mayEdit ? ', rename it, move it or deactivate it' : ''}.
                </p>
              </>
            )}
          </section>
          {mayEdit ? (
            <div ref={addRef}>
              <AddLocation list={list} parentId={parentId} onAdded={() => setMessage(null)} nameRef={nameRef} />
            </div>
          ) : null}
        </div>
      </div>
      {selected && open === 'rename' ? <RenameDialog node={selected} onClose={() => setOpen(null)} onDone={done} /> : null}
      {selected && open === 'move' ? <MoveDialog node={selected} list={list} tree={nodes} onClose={() => setOpen(null)} onDone={done} /> : null}
      {selected && open === 'deactivate' ? (
        <ConfirmDialog
          title={`Deactivate ${selected.name}?`}
          confirmLabel="Deactivate"
          danger
          onClose={() => setOpen(null)}
          onConfirm={() => deactivate.run({ id: selected.id })}
          onDone={() => {
            setSelectedId(null);
            done(`${selected.path} is no longer in the lists. Its history still names it.`, true);
          }}
        >
          <p>
            {selected.path} leaves the lists (the history that names it keeps it). Only an empty location can be deactivated: move its devices and the
            locations inside it first.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
