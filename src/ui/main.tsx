import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
// React Flow's styles, after the app's as before: in the first screen's stylesheet, though the
// graph's code is a chunk of its own (App.tsx)
import '@xyflow/react/dist/style.css';
import { App } from './App';
import { ErrorBoundary } from './ErrorBoundary';
import { createEngineClient } from './engineClient';
import { EDITOR_STORAGE_KEY, ViewStoreContext, createViewStore } from './store';
import { createTextPersistence, indexedDbBlobs, type BlobStore } from './persist';
import { SaveWarning } from './SaveWarning';
import { startUrlSync } from './urlSync';
import { EMPTY_LINK } from './link';

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
  const bench = benchSize(window.location.search);
  if (bench === null) {
    // the view lives in the URL: a link opens the view it names (urlSync.ts); this also runs init()
    startUrlSync(store);
    return;
  }
  // `?bench=N` (bench/run.ts): opens the benchmark's generated scenario with N platform devices
  // (bench/scenario.ts, loaded as a chunk of its own), without writing the view into the URL;
  // the store is reachable as window.__bindscope for the benchmark's measurements.
  (window as unknown as { __bindscope: unknown }).__bindscope = { store };
  void import('../../bench/scenario').then(({ benchScenario }) =>
    store.getState().init({ view: { ...EMPTY_LINK, custom: benchScenario(bench) }, problems: [], given: true }),
  );
});

/** N of a `?bench=N` address (1..200000), else null */
function benchSize(search: string): number | null {
  const raw = new URLSearchParams(search).get('bench');
  if (raw === null || !/^\d{1,6}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 200_000 ? n : null;
}
