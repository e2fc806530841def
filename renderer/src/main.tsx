import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { dateHint } from '../../shared/date-format';
import { createRoot } from 'react-dom/client';
import { AppOrPrint } from './AppOrPrint';
import { askEarly } from './lib/api';
import { isPrintPath } from './lib/print-route';
import { createQueryClient, useServerEvents } from './lib/query';
import { currentPath } from './lib/router';
import { TODAY_START_INPUT } from './lib/today';
import { preloadFirstScreen } from './routes';
import './styles.css';

const queryClient = createQueryClient();

function ServerEvents() {
  useServerEvents();
  return null;
}

// A signed-in start opens on Today (App): its code and its rows are asked for alongside the
// question of who is signed in, not one after the other once its answer is in. On the sign-in
// screen the rows' question is refused and forgotten; the code is ready when the person signs in.
// Who is signed in is asked first: the back end answers in order, and that answer at once lets
// the shell and Today's frame be drawn while the rows are still being read.
if (!isPrintPath(currentPath())) {
  askEarly('auth.status', {});
  askEarly('due.today', TODAY_START_INPUT);
  preloadFirstScreen();
}
// The OS's own date pattern (the default date format) is learned from the first Intl formatter,
// whose locale data costs ~45 ms to load: done while the first answers are awaited, not in the
// frame that draws the first dates.
requestIdleCallback(() => dateHint('locale'));

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ServerEvents />
      <AppOrPrint />
    </QueryClientProvider>
  </StrictMode>,
);
