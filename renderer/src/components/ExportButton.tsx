import { useState } from 'react';
import type { ExportFile } from '../../../shared/domain/report';
import type { AppErrorValue, Result } from '../../../shared/result';
import { saveTextFile } from '../lib/download';

/**
 * A button that asks main for a file ({ fileName, content, mimeType }) and saves it the browser's
 * way (a Blob and a download link: Electron's save dialog, or the test browser's download).
 */
export function ExportButton({
  request,
  label,
  disabled = false,
  onError,
}: {
  request: () => Promise<Result<ExportFile>>;
  label: string;
  disabled?: boolean;
  onError: (error: AppErrorValue | null) => void;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={disabled || busy}
      onClick={() => {
        setBusy(true);
        onError(null);
        void request().then((res) => {
          setBusy(false);
          if (!res.ok) onError(res.error);
          else saveTextFile(res.value.fileName, res.value.content, res.value.mimeType);
        });
      }}
    >
      {label}
    </button>
  );
}
