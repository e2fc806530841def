import { useRef, useState } from 'react';
import type { FormEvent, RefObject } from 'react';
import type { Location, LocationTreeNode } from '../../../../shared/domain/location';
import type { AppErrorValue } from '../../../../shared/result';
import { Banner, ErrorBanner } from '../../components/Banner';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { LocationTree } from '../../components/LocationTree';
import { call, useQuery } from '../../lib/api';
import { fieldErrors } from '../../lib/form-errors';
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

function subtreeIds(node: LocationTreeNode): Set<string> {
  const out = new Set<string>([node.id]);
  for (const c of node.children) for (const id of subtreeIds(c)) out.add(id);
  return out;
}

function AddLocation({
  list,
  parentId,
  setParentId,
  onAdded,
  nameRef,
}: {
  list: Location[];
  parentId: string;
  setParentId: (id: string) => void;
  onAdded: (l: Location) => void;
  nameRef: RefObject<HTMLInputElement | null>;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const { byField, general } = fieldErrors(error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('locations.create', { name, parentId: parentId || null });
    if (res.ok) {
      setError(null);
      setAdded(res.value.path);
      setName('');
      onAdded(res.value);
    } else {
      setError(res.error);
      setAdded(null);
    }
  }

  return (
    <form className="panel stack" onSubmit={submit} noValidate aria-label="Add a location">
      <h2>Add a location</h2>
      <ErrorBanner error={general} />
      {added ? (
        <p role="status" className="banner ok">
          Added {added}.
        </p>
      ) : null}
      <div className="grid-2">
        <Field label="Inside" error={byField.parentId} help="Leave as “a new site” for a hospital or clinic; choose a site for a ward, a ward for a room.">
          {(p) => (
            <select {...p} value={parentId} onChange={(e) => setParentId(e.target.value)}>
              <option value="">(a new site)</option>
              {list
                .filter((l) => l.kind !== 'room')
                .map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.path}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="Name" required error={byField.name}>
          {(p) => <input {...p} ref={nameRef} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary">
          Add location
        </button>
      </div>
    </form>
  );
}

function RenameDialog({ node, onClose, onDone }: { node: LocationTreeNode; onClose: () => void; onDone: (message: string) => void }) {
  const [name, setName] = useState(node.name);
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('locations.rename', { id: node.id, name });
    if (res.ok) onDone(`Renamed to ${res.value.path}. Its devices stay where they are.`);
    else setError(res.error);
  }
  return (
    <Dialog title={`Rename ${node.name}`} onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <ErrorBanner error={general} />
        <Field label="New name" required error={byField.name} help="Renaming moves nothing: the devices inside keep their place.">
          {(p) => <input {...p} type="text" value={name} onChange={(e) => setName(e.target.value)} data-autofocus />}
        </Field>
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary">
            Rename
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function MoveDialog({ node, list, tree, onClose, onDone }: { node: LocationTreeNode; list: Location[]; tree: LocationTreeNode[]; onClose: () => void; onDone: (message: string) => void }) {
  const inside = subtreeIds(node);
  const below = depthBelow(node);
  const depth = (l: Location) => ({ site: 1, ward: 2, room: 3 })[l.kind];
  // Where it may go: not into itself, and not so deep that its rooms would hold rooms.
  const targets = list.filter((l) => !inside.has(l.id) && depth(l) + 1 + below <= 3 && l.id !== node.parentId);
  const [parentId, setParentId] = useState<string>(node.parentId === null ? (targets[0]?.id ?? '') : '');
  const [error, setError] = useState<AppErrorValue | null>(null);
  const { byField, general } = fieldErrors(error);
  const parent = findNode(tree, node.parentId);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await call('locations.move', { id: node.id, parentId: parentId || null });
    if (res.ok) onDone(`Moved: it is now ${res.value.path}.`);
    else setError(res.error);
  }
  return (
    <Dialog title={`Move ${node.name}`} onClose={onClose}>
      <form className="stack" onSubmit={submit} noValidate>
        <p>
          Now {parent ? `inside ${parent.path}` : 'a site of its own'}. Everything inside it moves with it.
        </p>
        <ErrorBanner error={general} />
        <Field label="Move into" required error={byField.parentId}>
          {(p) => (
            <select {...p} value={parentId} onChange={(e) => setParentId(e.target.value)} data-autofocus>
              {node.parentId !== null && below <= 2 ? <option value="">(the top: make it a site)</option> : null}
              {targets.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.path}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions dialog-actions">
          <button type="submit" className="primary" disabled={node.parentId === null && targets.length === 0}>
            Move
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeactivateDialog({ node, onClose, onDone }: { node: LocationTreeNode; onClose: () => void; onDone: (message: string) => void }) {
  const [error, setError] = useState<AppErrorValue | null>(null);
  async function confirm() {
    const res = await call('locations.deactivate', { id: node.id });
    if (res.ok) onDone(`${node.path} is no longer in the lists. Its history still names it.`);
    else setError(res.error);
  }
  return (
    <Dialog title={`Deactivate ${node.name}?`} onClose={onClose} describedBy="deactivate-text">
      <div className="stack">
        <p id="deactivate-text">
          {node.path} leaves the lists (the history that names it keeps it). Only an empty location can be deactivated: move its devices and the
          locations inside it first.
        </p>
        <ErrorBanner error={error} />
        <div className="form-actions dialog-actions">
          <button type="button" className="danger" onClick={() => void confirm()}>
            Deactivate
          </button>
          <button type="button" onClick={onClose} data-autofocus>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}

type Open = 'rename' | 'move' | 'deactivate' | null;

/** Sites › departments/wards › rooms: the tree, and (for supervisors) add, rename, move, deactivate. */
export function Locations() {
  const { user } = useSession();
  const mayEdit = can(user, 'supervisor');
  const tree = useQuery('locations.tree', {});
  const locations = useQuery('locations.list', {});
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [parentId, setParentId] = useState('');
  const [open, setOpen] = useState<Open>(null);
  const [message, setMessage] = useState<string | null>(null);
  const addRef = useRef<HTMLDivElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const nodes = tree.data ?? [];
  const list = locations.data ?? [];
  const selected = findNode(nodes, selectedId);

  const done = (text: string) => {
    setOpen(null);
    setMessage(text);
  };

  return (
    <>
      <div className="page-head">
        <h1>Locations</h1>
      </div>
      <ErrorBanner error={tree.error ?? locations.error} />
      {message ? <Banner kind="ok">{message}</Banner> : null}
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
                          setParentId(selected.id);
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
              <AddLocation list={list} parentId={parentId} setParentId={setParentId} onAdded={() => setMessage(null)} nameRef={nameRef} />
            </div>
          ) : null}
        </div>
      </div>
      {selected && open === 'rename' ? <RenameDialog node={selected} onClose={() => setOpen(null)} onDone={done} /> : null}
      {selected && open === 'move' ? <MoveDialog node={selected} list={list} tree={nodes} onClose={() => setOpen(null)} onDone={done} /> : null}
      {selected && open === 'deactivate' ? (
        <DeactivateDialog
          node={selected}
          onClose={() => setOpen(null)}
          onDone={(text) => {
            setSelectedId(null);
            done(text);
          }}
        />
      ) : null}
    </>
  );
}
