import { z } from 'zod';
import type { ExportFile } from '../domain/report';
import type { ComplianceDocument } from '../domain/report-compliance';
import { COMPLIANCE_CSV_PARTS, ComplianceParams } from '../domain/report-compliance';
import type { DueListDocument } from '../domain/report-due';
import { DUE_EXPORT_FORMATS, DueListParams } from '../domain/report-due';
import type { HistoryDocument } from '../domain/report-history';
import { HistoryParams } from '../domain/report-history';
import type { StickersDocument } from '../domain/report-stickers';
import { StickerParams } from '../domain/report-stickers';
import { channel } from './channel';

/**
 * Due lists, auditors' reports and stickers. Each printable document has its own channel (its
 * access is the document's); `print.document` (print.ts) fetches it through that channel with the
 * caller's session and hands it to the hidden print window by a one-job token.
 */
export const reportChannels = {
  /** The due list in walk order (location and room, then due date): the screen and the printout. */
  'reports.dueList': channel<DueListDocument>()({ input: DueListParams, access: 'technician', writes: false }),
  /** The same list as CSV (the columns of `wardkeep due --format csv`) or iCalendar (all-day events). */
  'reports.dueExport': channel<ExportFile>()({
    input: z.object({ params: DueListParams, format: z.enum(DUE_EXPORT_FORMATS, { message: 'must be csv or ics' }) }).strict(),
    access: 'technician',
    writes: false,
  }),
  /** A device's full history for an auditor. */
  'reports.history': channel<HistoryDocument>()({ input: HistoryParams, access: 'technician', writes: false }),
  /** Rule 13 for a period and locations, per task type and risk class, and the high-risk exceptions. */
  'reports.compliance': channel<ComplianceDocument>()({ input: ComplianceParams, access: 'technician', writes: false }),
  'reports.complianceCsv': channel<ExportFile>()({
    input: z.object({ params: ComplianceParams, part: z.enum(COMPLIANCE_CSV_PARTS) }).strict(),
    access: 'technician',
    writes: false,
  }),
  /** Calibration stickers (DO NOT USE for a device out of service). */
  'reports.stickers': channel<StickersDocument>()({ input: StickerParams, access: 'supervisor', writes: false }),
};
