import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { createEngineClient } from './engineClient';
import { EDITOR_STORAGE_KEY, ViewStoreContext, createViewStore } from './store';
import { createTextPersistence, indexedDbBlobs, type BlobStore } from './persist';
import { SaveWarning } from './SaveWarning';
import { startUrlSync } from './urlSync';

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element');

let local: Storage | null = null;
try {
  local = window.localStorage;
} catch {
  local = null; // blocked storage: IndexedDB, or the store only
}
let blobs: BlobStore | null = null;
try {
  blobs = typeof indexedDB === 'undefined' ? null : indexedDbBlobs(indexedDB);
} catch {
  blobs = null;
}
// the editor text: localStorage, IndexedDB past its quota, a warning with a download when neither works
const persistence = createTextPersistence(local, blobs, [EDITOR_STORAGE_KEY]);

void persistence.init().finally(() => {
  const store = createViewStore(createEngineClient(), { storage: persistence });
  createRoot(rootEl).render(
    <StrictMode>
      <ErrorBoundary>
        <SaveWarning persistence={persistence} />
        <ViewStoreContext value={store}>
          <App />
        </ViewStoreContext>
      </ErrorBoundary>
    </StrictMode>,
  );
  // the view lives in the URL: a link opens the view it names (urlSync.ts); this also runs init()
  startUrlSync(store);
});
