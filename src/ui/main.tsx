import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { createEngineClient } from './engineClient';
import { ViewStoreContext, createViewStore } from './store';

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element');

const store = createViewStore(createEngineClient());

createRoot(rootEl).render(
  <StrictMode>
    <ErrorBoundary>
      <ViewStoreContext value={store}>
        <App />
      </ViewStoreContext>
    </ErrorBoundary>
  </StrictMode>,
);

void store.getState().init();
