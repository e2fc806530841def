/**
 * Rows Today asks for at first: more than a screenful, the counts per ward and the headline say how
 * many there are in all, and "Show more" asks for the next ones. Asking for the 500 it used to
 * show sent a hospital's ~300 KB and drew 500 rows before the first was seen (issue 17).
 */
export const TODAY_FIRST_ROWS = 100;

/**
 * Today's first question, as Home asks it (the default location): asked at start already
 * (renderer main.tsx), and answered once by main while the window loads (due/today.ts warmToday).
 */
export const TODAY_START_INPUT = { limit: TODAY_FIRST_ROWS, outOfServiceLimit: TODAY_FIRST_ROWS } as const;
