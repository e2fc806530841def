import { TODAY_START_INPUT } from '../../../shared/today';
import type { Core } from '../context';
import { outOfServicePage } from '../repairs/today';
import { TODAY_LIMIT, todayView } from './service';

/** Today's answer (`due.today`): the due page of the person's place, and its devices out of service. */
export function todayAnswer(
  core: Core,
  userId: string | null,
  input: { locationId?: string | null | undefined; limit?: number | undefined; outOfServiceLimit?: number | undefined },
) {
  const view = todayView(core, userId, input);
  const outOfService = outOfServicePage(core, view.locationId, input.outOfServiceLimit ?? input.limit ?? TODAY_LIMIT);
  return { ...view, outOfService: outOfService.rows, outOfServiceTotal: outOfService.total };
}

/**
 * Today's first question for this PC's place, answered once and thrown away while the window loads
 * (issue 17). The first answer on a freshly opened database costs 3 to 7 times a later one (the
 * code compiled, the connection's statements prepared, the due lists' pages read: 50–80 ms at
 * 50,000 devices against 11–15 ms); done here, in time the main thread would spend waiting for the
 * page, the first Today after signing in reads what is already at hand. It only reads, for no one:
 * nothing is shown or written, and the answer is not kept (the due lists' lookups are, as after any
 * question, until the database changes). A read that fails is left for Today's own question, which says so.
 */
export function warmToday(core: Core): void {
  if (!core.db.open) return;
  try {
    todayAnswer(core, null, TODAY_START_INPUT);
  } catch {
    // Today's own question meets the same failure and shows it.
  }
}
