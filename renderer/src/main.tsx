import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppOrPrint } from './AppOrPrint';
import { createQueryClient, useServerEvents } from './lib/query';
import './styles.css';

const queryClient = createQueryClient();

function ServerEvents() {
  useServerEvents();
  return null;
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
