import { createContext, useContext } from 'react';

/**
 * False while the signed-in user's screens are kept, hidden, behind the lock screen (Shell). What
 * takes over the whole window (a modal dialog) must let go of it meanwhile.
 */
export const ScreenShownContext = createContext(true);

export function useScreenShown(): boolean {
  return useContext(ScreenShownContext);
}
