/**
 * The app area: the window's remembered state, diagnostics for support (copied to the clipboard) and
 * saving a batch's results to a file the clerk chooses. Each needs the shell: where there is none
 * (no clipboard, no save dialog), the request is refused in plain words.
 */
import { diagnosticsText } from '../diagnostics';
import { AppError } from '../errors';
import { exportFile, listResults } from '../results';
import { readSetting, writeSetting } from '../settings';
import type { AreaHandlers, HandlerContext } from './context';
import { saveFile } from './save-file';

type AppChannel = 'ui.state' | 'app.diagnostics' | 'results.export';

export function appHandlers({ db, credentials, log, now, supervisor, shell }: HandlerContext): AreaHandlers<AppChannel> {
  return {
    'ui.state': async ({ lastScreen }) => {
      if (lastScreen !== undefined) writeSetting(db, 'ui.lastScreen', lastScreen);
      return { lastScreen: readSetting<string>(db, 'ui.lastScreen') ?? null };
    },
    'app.diagnostics': async () => {
      if (!shell.copyText) throw new AppError('invalid_request', 'Copying is not available here.');
      const text = await diagnosticsText({
        db,
        credentials,
        log,
        appVersion: shell.appVersion ?? 'dev',
        offline: supervisor.offlineAccounts(),
        sending: supervisor.sending(),
        now: now(),
      });
      await shell.copyText(text);
      log.info('diagnostics copied');
      return { copied: true };
    },
    'results.export': async ({ batchId, format, filter }) => {
      const batch = supervisor.summary(batchId);
      const rows = listResults(db, batchId, filter ?? {});
      const base = (batch.sourceName ?? 'batch').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
      const path = await saveFile(shell, `${base} results.${format}`, exportFile(rows, format));
      return { path, items: rows.length };
    },
  };
}
