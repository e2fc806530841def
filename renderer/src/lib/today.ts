// Shared with main, which answers Today's first question once while the window loads (shared/today.ts).
export { TODAY_FIRST_ROWS, TODAY_START_INPUT } from '../../../shared/today';
