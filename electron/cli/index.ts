/** Entry point of the `bulk-cancel` command: runs it and exits with its code. */
import { main } from './main';
import { useEnvironmentProxy } from './proxy';

useEnvironmentProxy()
  .then(() => main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
