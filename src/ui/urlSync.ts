/**
 * Keeps the address bar in step with the view (link.ts says what a link holds).
 *
 * History: a change of what runs (design, firmware, user actions, custom scenario), of the
 * mode, the compare pair or the walkthrough pushes a new entry; stepping, selecting and
 * moving between presentation stops replace the current entry, so Back returns to the
 * previous design (at the step it was left at), not to every step in between.
 * Back/forward re-open the entry's link; a link with the same run only moves the step.
 */
import { decodeLink, encodeLink, historyKey, type LinkView } from './link';
import { linkFromState, type ViewStoreApi } from './store';

export interface UrlSyncOptions {
  /** adds what the store does not hold (the presentation stop) */
  extend?: (view: LinkView) => LinkView;
}

export function startUrlSync(store: ViewStoreApi, options: UrlSyncOptions = {}): () => void {
  const extend = options.extend ?? ((v) => v);
  let lastKey: string | null = null;
  let restoring = false;

  const current = () => extend(linkFromState(store.getState()));
  const write = () => {
    const s = store.getState();
    if (restoring || s.status !== 'ready' || !s.summary) return;
    const view = current();
    const { search, hash } = encodeLink(view);
    const url = `${window.location.pathname}${search}${hash}`;
    const key = historyKey(view);
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
      if (lastKey !== null && key !== lastKey) window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    }
    lastKey = key;
  };
  const unsubscribe = store.subscribe(write);

  const onPop = async () => {
    restoring = true;
    try {
      await store.getState().openLink(decodeLink(window.location.search, window.location.hash));
    } finally {
      restoring = false;
      lastKey = historyKey(current());
      write();
    }
  };
  const pop = () => void onPop();
  window.addEventListener('popstate', pop);

  // opening the first view writes one entry (replacing the link it came from), not one per stage
  restoring = true;
  void store
    .getState()
    .init(decodeLink(window.location.search, window.location.hash))
    .finally(() => {
      restoring = false;
      write();
    });
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', pop);
  };
}
