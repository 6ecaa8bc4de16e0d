import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { createEngineClient } from './engineClient';
import { ViewStoreContext, createViewStore } from './store';
import { startUrlSync } from './urlSync';

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element');

let storage: Storage | null = null;
try {
  storage = window.localStorage;
} catch {
  storage = null; // blocked storage: the editor text lives in the store only
}
const store = createViewStore(createEngineClient(), { storage });

createRoot(rootEl).render(
  <StrictMode>
    <ErrorBoundary>
      <ViewStoreContext value={store}>
        <App />
      </ViewStoreContext>
    </ErrorBoundary>
  </StrictMode>,
);

// the view lives in the URL: a link opens the view it names (urlSync.ts)
startUrlSync(store);
