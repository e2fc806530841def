import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppOrPrint } from './AppOrPrint';
import { isPrintPath } from './lib/print-route';
import { createQueryClient, useServerEvents } from './lib/query';
import { currentPath } from './lib/router';
import { preloadFirstScreen } from './routes';
import './styles.css';

const queryClient = createQueryClient();

function ServerEvents() {
  useServerEvents();
  return null;
}

// The first screen's code is read alongside the question of who is signed in, not after its answer.
if (!isPrintPath(currentPath())) preloadFirstScreen();

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
