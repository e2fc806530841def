import type { ReactNode } from 'react';
import { useId } from 'react';
import { Dialog } from './Dialog';

/**
 * The one question asked before something from outside the form (a scanned tag, a shell command)
 * leaves a screen holding input typed and not saved: "Leave <what> and open <where>?", Stay first
 * and focused, so Enter or Escape keeps the input. Used by ScanListener and ShellCommands.
 */
export function LeaveDialog({
  unsaved,
  where,
  children,
  onStay,
  onLeave,
}: {
  /** What is unsaved, as unsavedInput() names it ("the calibration of INF-0042"). */
  unsaved: string;
  /** What leaving opens, as the buttons and title say it ("INF-0042", "the equipment list"). */
  where: string;
  /** The sentence saying what leaving throws away. */
  children: ReactNode;
  onStay: () => void;
  onLeave: () => void;
}) {
  const textId = useId();
  return (
    <Dialog title={`Leave ${unsaved} and open ${where}?`} onClose={onStay} describedBy={textId}>
      <p id={textId}>{children}</p>
      <div className="form-actions dialog-actions">
        <button type="button" className="primary" data-autofocus onClick={onStay}>
          Stay
        </button>
        <button
          type="button"
          onClick={() => {
            onStay();
            onLeave();
          }}
        >
          Leave it and open {where}
        </button>
      </div>
    </Dialog>
  );
}
