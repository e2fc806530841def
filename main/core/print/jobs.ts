import { randomUUID } from 'node:crypto';
import type { HeaderLine, PrintHeader } from '../../../shared/domain/report';
import type { PrintJobData } from '../../../shared/domain/report-documents';
import { currentHead, shortChain, shortHead } from '../anchors/chain';
import { isoInstant } from '../clock';
import type { Actor, Core } from '../context';
import { AppError } from '../errors';
import { getSettings } from '../settings/service';

/** The header of a document printed now by `actor`: its filter lines' names as written, their days marked (headerLine, headerDay). */
export function printHeader(core: Core, actor: Actor, fields: { title: string; filter: HeaderLine[]; fileName: string }): PrintHeader {
  const settings = getSettings(core);
  const head = currentHead(core.db);
  return {
    hospitalName: settings.hospitalName,
    title: fields.title,
    filter: fields.filter,
    printedBy: actor.name,
    printedAt: isoInstant(core.clock.now()),
    dateFormat: settings.dateFormat,
    fileName: fields.fileName,
    auditHead: head ? { head: shortHead(head), chain: shortChain(head.chain) } : null,
  };
}

/**
 * Print jobs in progress, by token. The hidden print window signs no one in: it gets its document
 * with the job's token, a random UUID that exists only while the job runs (and never longer than
 * JOB_LIFETIME_MS), on this backend's database only.
 */
const JOB_LIFETIME_MS = 5 * 60_000;
const jobs = new WeakMap<Core, Map<string, { data: PrintJobData; expiresMs: number }>>();

function jobsOf(core: Core) {
  let found = jobs.get(core);
  if (!found) {
    found = new Map();
    jobs.set(core, found);
  }
  return found;
}

/** Holds the document for the job's window; returns the token and a function that ends the job. */
export function openPrintJob(core: Core, data: PrintJobData): { token: string; close: () => void } {
  const token = randomUUID();
  const store = jobsOf(core);
  const now = core.clock.now().getTime();
  for (const [t, job] of store) if (job.expiresMs < now) store.delete(t);
  store.set(token, { data, expiresMs: now + JOB_LIFETIME_MS });
  return { token, close: () => store.delete(token) };
}

export function printJobData(core: Core, token: string): PrintJobData {
  const job = jobsOf(core).get(token);
  if (!job || job.expiresMs < core.clock.now().getTime()) {
    throw new AppError('not_found', 'This print job has finished or does not exist.');
  }
  return job.data;
}
