import type { PrintHeader } from '../../shared/domain/report';
import { headerLineText } from '../../shared/domain/report';
import type { DateFormatSetting } from '../../shared/domain/settings';

/**
 * A printout's filter lines as text, as the print window writes them with the date format
 * `setting` (`YYYY-MM-DD` unless told): for asserting on the words main makes.
 */
export function filterLines(header: Pick<PrintHeader, 'filter'>, setting: DateFormatSetting = 'yyyy-MM-dd'): string[] {
  return header.filter.map((line) => headerLineText(line, setting));
}
