import { z } from 'zod';
import type { ExportFile } from '../domain/report';
import type { ComplianceDocument } from '../domain/report-compliance';
import { COMPLIANCE_CSV_PARTS, ComplianceParams } from '../domain/report-compliance';
import type { DowntimeReport } from '../domain/report-downtime';
import { DowntimeParams } from '../domain/report-downtime';
import type { DueListDocument } from '../domain/report-due';
import type { DowntimeDocument, FailuresDocument, OpenWorkOrdersDocument } from '../domain/report-failures';
import { FAILURES_CSV_PARTS, FailuresParams, OpenWorkOrdersParams } from '../domain/report-failures';
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
  /** Downtime per device and per category over a period, from the status history (issue 16). */
  'reports.downtime': channel<DowntimeReport>()({ input: DowntimeParams, access: 'technician', writes: false }),
  'reports.downtimeCsv': channel<ExportFile>()({ input: DowntimeParams, access: 'technician', writes: false }),
  /** The downtime report under a printed head: what `print.document` prints. */
  'reports.downtimeDocument': channel<DowntimeDocument>()({ input: DowntimeParams, access: 'technician', writes: false }),
  /** Work orders reported in a period, by category, model and failure and cause code, with the devices of each (issue 16). */
  'reports.failures': channel<FailuresDocument>()({ input: FailuresParams, access: 'technician', writes: false }),
  /** Its counts (summary) or the work orders behind them, as CSV. */
  'reports.failuresCsv': channel<ExportFile>()({
    input: z.object({ params: FailuresParams, part: z.enum(FAILURES_CSV_PARTS, { message: 'must be summary or work_orders' }) }).strict(),
    access: 'technician',
    writes: false,
  }),
  /** The open work orders by ward, oldest first: the printout of the Repairs list. */
  'reports.openWorkOrders': channel<OpenWorkOrdersDocument>()({ input: OpenWorkOrdersParams, access: 'technician', writes: false }),
  /** The same as CSV, with the columns of `wardkeep repairs --format csv`. */
  'reports.openWorkOrdersCsv': channel<ExportFile>()({ input: OpenWorkOrdersParams, access: 'technician', writes: false }),
  'reports.compliance': channel<ComplianceDocument>()({ input: ComplianceParams, access: 'technician', writes: false }),
  'reports.complianceCsv': channel<ExportFile>()({
    input: z.object({ params: ComplianceParams, part: z.enum(COMPLIANCE_CSV_PARTS) }).strict(),
    access: 'technician',
    writes: false,
  }),
  /** Calibration stickers (DO NOT USE for a device out of service). */
  'reports.stickers': channel<StickersDocument>()({ input: StickerParams, access: 'supervisor', writes: false }),
};
