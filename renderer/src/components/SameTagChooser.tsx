import { useId } from 'react';
import type { FoundByTag } from '../../../shared/contract/equipment';
import { Dialog } from './Dialog';

/**
 * A tag two PCs of the hospital's hub gave to different devices (`sameTag` of equipment.findByTag):
 * a scan of it, or the tag typed whole in the equipment list's search, opens none of them on a
 * guess. The person chooses the one in front of them. The focus starts on the sentence, not on a
 * device, so the Enter a scanner's user presses next picks nothing.
 */
export function SameTagChooser({
  found,
  onChoose,
  onClose,
}: {
  found: FoundByTag;
  onChoose: (device: FoundByTag['sameTag'][number]) => void;
  onClose: () => void;
}) {
  const textId = useId();
  const { assetTag: tag, sameTag: devices } = found;
  return (
    <Dialog title={`${devices.length} devices in use have the tag ${tag}`} onClose={onClose} describedBy={textId}>
      <p id={textId} tabIndex={-1} data-autofocus data-testid="same-tag-text">
        Two PCs of the hospital gave this tag to different devices, so it cannot say which one is in front of you. Check the
        device&apos;s name and place, then open it:
      </p>
      <ul className="same-tag-choices" aria-label={`Devices with the tag ${tag}`}>
        {devices.map((d) => (
          <li key={d.id}>
            <button type="button" onClick={() => onChoose(d)}>
              <span className="mono">{d.assetTag}</span> {d.name}, {d.place}
            </button>
          </li>
        ))}
      </ul>
      <p className="muted">A supervisor gives one of them another tag (Edit…); the Conflicts screen lists every tag in this state.</p>
      <div className="form-actions dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
