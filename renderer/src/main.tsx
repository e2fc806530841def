import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
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
if (!isPrintPath(currentPath())) {
  askEarly('due.today', TODAY_START_INPUT);
  preloadFirstScreen();
}

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
