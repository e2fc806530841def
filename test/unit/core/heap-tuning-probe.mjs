// Run by heap-tuning.test.ts in a plain Node process of its own (no loader, which changes what V8
// decides), with --allow-natives-syntax and V8's predictable mode (the test says why): does V8 still
// make objects directly in the old generation at a place whose objects all lived (its
// allocation-site pretenuring)? With "tuned", the app's tuneHeap (heap-tuning.ts, compiled to
// JavaScript by the test) runs first.
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const [mode, tuning] = process.argv.slice(2);
if (mode === 'tuned') (await import(pathToFileURL(tuning).href)).tuneHeap();

// Built at run time: only V8 reads the intrinsic.
const inYoungGeneration = new Function('o', 'return %InYoungGeneration(o)');

// One place that makes rows; a million of them kept, as a check keeps every row of a file, through
// many young-generation collections.
const row = (i) => ({ row: i, tag: `IMP-${i}` });
const kept = [];
for (let i = 0; i < 1_000_000; i++) kept.push(row(i));
let bornOld = 0;
for (let i = 0; i < 1_000; i++) if (!inYoungGeneration(row(i))) bornOld++;
process.stdout.write(JSON.stringify({ kept: kept.length, bornOld }));
