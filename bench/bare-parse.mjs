// The bare parse a spawned `bulk-cancel import` is paired with: node FILE reads FILE and parses it with papaparse, the
// CSV library the importer uses, and stores nothing. Prints the number of rows.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

const parsed = Papa.parse(readFileSync(process.argv[2], 'utf8'), { skipEmptyLines: true });
process.stdout.write(`${parsed.data.length}\n`);
