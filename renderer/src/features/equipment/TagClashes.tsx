import type { Ref } from 'react';
import type { ClashItem } from '../../../../shared/contract/sync';
import { Banner } from '../../components/Banner';
import { Link } from '../../lib/router';

/**
 * The device's tag on another device in use, or a tag printing like it (`equipment.tagClashes`): two
 * PCs of a hospital's hub tagged them apart, each sure of its own. A scan of a tag two devices share
 * asks which one is meant (SameTagChooser); whoever is on this page is still told which other device
 * it could be, before logging work on it, and the note has the focus (EquipmentPage), not "Log work".
 */
export function TagClashes({
  clashes,
  equipmentId,
  assetTag,
  ref,
}: {
  clashes: readonly ClashItem[];
  equipmentId: string;
  assetTag: string;
  ref: Ref<HTMLDivElement>;
}) {
  if (clashes.length === 0) return null;
  return (
    <div data-testid="tag-clash" tabIndex={-1} ref={ref}>
      {clashes.map((k) => {
        const others = k.rows.filter((r) => r.equipmentId !== equipmentId);
        const many = others.length > 1;
        return (
          <Banner kind="warn" key={k.alike ? k.alike.names.join('\u0000') : k.name}>
            {k.alike ? (
              <>
                <strong>
                  Its tag {assetTag} prints like {many ? 'the tags of other devices' : 'the tag of another device'} in use
                </strong>
                , {k.alike.why}:
              </>
            ) : (
              <>
                <strong>
                  {many ? `${others.length} other devices in use have` : 'Another device in use has'} the tag {assetTag}
                </strong>{' '}
                (given on another PC of the hospital): a scan of it asks which device is meant. Check that this is the device in front of
                you:
              </>
            )}
            <ul>
              {others.map((r) => (
                <li key={r.id}>{r.equipmentId ? <Link to={`/equipment/${r.equipmentId}`}>{r.text}</Link> : r.text}</li>
              ))}
            </ul>
            A supervisor gives one of them another tag (Edit…); the Conflicts screen lists every tag in this state.
          </Banner>
        );
      })}
    </div>
  );
}
